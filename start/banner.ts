/** The banner `npm start` prints once everything is ready: where things are and what to paste first. */
import type { Config } from '../common/config';
import { tableLines } from '../common/table';
import { zipkinUrl } from '../stack/zipkin';
import { apiBaseUrl } from './parts';
import { SEED_COUPONS, SEED_WALLETS } from '../demo/seed-data';

/** The seeded customer and lines the examples order. */
export const EXAMPLE_ORDER = {
  customerId: SEED_WALLETS[0].customerId,
  items: [
    { sku: 'DTX-TEE', quantity: 2 },
    { sku: 'DTX-MUG', quantity: 1 },
  ],
} as const;

/** `demoTrace`: with tracing on, the link of the demo order's trace (start/tracing.ts). */
export function bannerLines(config: Config, partNames: string[], demoTrace?: string): string[] {
  const api = apiBaseUrl(config);
  const body = JSON.stringify({
    customerId: EXAMPLE_ORDER.customerId,
    items: EXAMPLE_ORDER.items,
    mode: 'saga',
  });
  const authHeader = config.api.apiKey ? ` -H "x-api-key: $DTX_API_KEY"` : '';
  const items = EXAMPLE_ORDER.items.map((item) => `--item ${item.sku}:${item.quantity}`).join(' ');
  const coupons = SEED_COUPONS.map((coupon) => coupon.code).join(', ');
  const customers = SEED_WALLETS.map(
    (wallet) => `${wallet.customerId}${wallet.amount < 10_00 ? ' (nearly empty)' : ''}`,
  ).join(', ');
  return [
    '',
    `dtx is up: ${partNames.join(', ')}`,
    '',
    ...tableLines(
      [
        ['API', api],
        ['API docs', `${api}/docs`],
        [
          'Temporal UI',
          `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows`,
        ],
        ...(config.tracing.enabled
          ? [['Traces (Zipkin)', `${zipkinUrl(config)}/zipkin/`] as [string, string]]
          : []),
        ...(demoTrace ? [['Demo order trace', demoTrace] as [string, string]] : []),
      ],
      { indent: '  ' },
    ),
    '',
    '  Place an order (HTTP):',
    `    curl -s -X POST '${api}/v1/orders?wait=true' -H 'content-type: application/json'${authHeader} \\`,
    `      -H "Idempotency-Key: try-$(date +%s)" -d '${body}'`,
    '',
    '  Place an order (CLI):',
    `    npx dtx order place --customer ${EXAMPLE_ORDER.customerId} ${items} --mode tcc --wait`,
    '',
    `  Seeded customers: ${customers}; coupons (single use): ${coupons}.`,
    '  A batch of orders in both modes with their outcomes: npm run demo',
    '',
    '  Ctrl-C stops dtx (API, then worker, relay and projector, then the services);',
    '  the stack (Temporal, Kafka, PostgreSQL) keeps running: `npm run stack -- down` stops it.',
    '',
  ];
}
