/** workflows/metrics.ts: the status and reason a finished order workflow is counted under. */
import { ApplicationFailure } from '@temporalio/workflow';
import { outcomeOf } from '../../../workflows/metrics';

test('a completed order counts as COMPLETED with no reason', () => {
  expect(outcomeOf({ ok: true, value: { status: 'COMPLETED', orderId: 'o', total: 5 } })).toEqual({
    status: 'COMPLETED',
    reason: '',
  });
});

test('a compensated order counts with the reason the transaction stopped for', () => {
  expect(
    outcomeOf({
      ok: true,
      value: { status: 'COMPENSATED', orderId: 'o', reason: 'INSUFFICIENT_FUNDS', failedStep: 'payment' },
    }),
  ).toEqual({ status: 'COMPENSATED', reason: 'INSUFFICIENT_FUNDS' });
});

test('a failed workflow counts as FAILED with the failure type (or the error name)', () => {
  expect(
    outcomeOf({ ok: false, error: ApplicationFailure.nonRetryable('bad input', 'InvalidArgument') }),
  ).toEqual({ status: 'FAILED', reason: 'InvalidArgument' });
  expect(outcomeOf({ ok: false, error: new TypeError('x') })).toEqual({
    status: 'FAILED',
    reason: 'TypeError',
  });
});
