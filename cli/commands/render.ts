/** Human renderings shared by several commands. */
import type { OrderView } from '../../api/operations/schemas';
import { formatKeyValues, formatTable } from '../output';

function money(minor: unknown): string {
  return typeof minor === 'number' ? (minor / 100).toFixed(2) : '';
}

/** An order view: state, steps, the order record and its timeline. */
export function renderOrderView(view: OrderView): string {
  const state = view.txState;
  const sections = [
    formatKeyValues([
      ['order', view.orderId],
      ['workflow', view.workflowId],
      ['run', view.runId],
      ['execution', view.executionStatus],
      ['status', state?.status],
      ['mode', state?.mode],
      ['failed step', state?.failedStep ?? view.outcome?.failedStep],
      ['reason', state?.reason ?? view.outcome?.reason],
      ['state from', view.txStateSource],
      ['temporal ui', view.links.temporalUi],
    ]),
  ];
  const steps = Array.isArray(state?.steps) ? state.steps : [];
  if (steps.length > 0) {
    sections.push(
      formatTable(steps, [
        { header: 'step', value: (s) => s.name },
        { header: 'state', value: (s) => s.state },
        {
          header: 'attempts',
          value: (s) =>
            Object.entries(s.attempts ?? {})
              .map(([op, n]) => `${op}:${n}`)
              .join(' '),
        },
        {
          header: 'last error',
          value: (s) => (s.lastError ? `${s.lastError.type}: ${s.lastError.message}` : ''),
        },
      ]),
    );
  }
  if (view.order) {
    const order = view.order;
    sections.push(
      formatKeyValues([
        ['order status', order.status],
        ['customer', order.customerId],
        ['coupon', order.couponCode],
        ['subtotal', money(order.subtotal)],
        ['discount', money(order.discount)],
        ['total', money(order.total)],
        ['cancel reason', order.cancelReason],
      ]),
    );
  }
  if (view.timeline.length > 0) {
    sections.push(
      formatTable(view.timeline, [
        { header: '#', value: (e) => e.position },
        { header: 'at', value: (e) => e.occurredAt },
        { header: 'event', value: (e) => e.eventType },
        { header: 'aggregate', value: (e) => `${e.aggregateType}/${e.aggregateId}` },
      ]),
    );
  }
  if (view.unavailable) sections.push(`not answering: ${view.unavailable.join('; ')}`);
  return sections.join('\n\n');
}
