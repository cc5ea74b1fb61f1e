/**
 * The Temporal floor of `npm run bench:saga` (bench-only, not dtx production code): a workflow that runs groups of
 * no-op activities, one group after the other and the activities of a group in parallel, of the same kind (local or
 * remote) and in the same shape as a dtx order flow. Bundled by the bench's own worker on its own task queue.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

export interface FloorActivities {
  noop(): Promise<void>;
}

export interface FloorGroup {
  size: number;
  kind: 'local' | 'remote';
}

export interface FloorInput {
  /** Activities per group and their kind, e.g. TCC with local calls: 1 L, 1 L, 2 R (tries), 2 L, 1 L. */
  groups: FloorGroup[];
}

const options = { startToCloseTimeout: '15 seconds', retry: { maximumAttempts: 1 } } as const;
const remote = proxyActivities<FloorActivities>(options);
const local = proxyLocalActivities<FloorActivities>(options);

export async function benchFloor(input: FloorInput): Promise<number> {
  let count = 0;
  for (const { size, kind } of input.groups) {
    const acts = kind === 'local' ? local : remote;
    await Promise.all(Array.from({ length: size }, () => acts.noop()));
    count += size;
  }
  return count;
}
