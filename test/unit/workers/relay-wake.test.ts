import { wakeOne } from '../../../workers/relay/relay';

/** A lane as wakeOne sees it: idle (asleep), lingering (woken, about to claim) or busy (neither). */
function lane(state: 'idle' | 'lingering' | 'busy') {
  const woken = { count: 0 };
  return {
    idle: state === 'idle',
    lingering: state === 'lingering',
    wake: () => void woken.count++,
    woken,
  };
}

test('a NOTIFY wakes one idle lane, not every lane of the database', () => {
  const lanes = [lane('busy'), lane('idle'), lane('idle')];
  wakeOne(lanes);
  expect(lanes.map((l) => l.woken.count)).toEqual([0, 1, 0]);
});

test('a lane lingering before its claim takes the new rows: nobody else is woken', () => {
  const lanes = [lane('lingering'), lane('idle')];
  wakeOne(lanes);
  expect(lanes.map((l) => l.woken.count)).toEqual([0, 0]);
});

test('with every lane busy each is asked to claim once more (a commit after their claims is not left to the poll)', () => {
  const lanes = [lane('busy'), lane('busy')];
  wakeOne(lanes);
  expect(lanes.map((l) => l.woken.count)).toEqual([1, 1]);
});
