/**
 * `npm run demo`: against the running system (`npm start`), places a batch of orders through the HTTP API in both
 * modes — success, coupon already used, out of stock, insufficient funds — waits for each outcome and prints a table
 * with each order's Temporal UI link. Exits 1 when an outcome is not the expected one, 2 when dtx is not running.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../common/config';
import { renderTable } from '../common/table';
import { createServiceClients } from '../services/rpc/clients';
import { describeGrpcError } from '../services/rpc/errors';
import { ApiClient } from './api-client';
import { prepareScenarios, runScenarios, type ScenarioResult } from './scenarios';
import { apiBaseUrl } from '../start/parts';

function outcomeTable(results: ScenarioResult[]): string {
  const rows = results.map((r) => [
    r.scenario.mode,
    r.scenario.name,
    r.orderId ?? '-',
    r.status,
    [r.failedStep, r.reason].filter(Boolean).join(' / ') || '-',
    r.problem ? 'NO' : 'yes',
    r.temporalUi ?? '-',
  ]);
  return renderTable(rows, {
    header: ['mode', 'scenario', 'orderId', 'status', 'failed step / reason', 'as expected', 'Temporal UI'],
    rule: true,
  });
}

async function main(): Promise<number> {
  const config = loadConfig();
  const api = new ApiClient(apiBaseUrl(config), config.api.apiKey);
  if (!(await api.ready())) {
    process.stderr.write(
      `demo: the dtx API at ${api.baseUrl} is not ready (GET /readyz); start dtx with \`npm start\` first\n`,
    );
    return 2;
  }
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const clients = createServiceClients(config.serviceAddresses);
  let results: ScenarioResult[];
  try {
    const scenarios = await prepareScenarios(clients, runId);
    process.stdout.write(
      `demo run ${runId}: placing ${scenarios.length} orders through ${api.baseUrl} and waiting for their outcomes\n\n`,
    );
    results = await runScenarios(api, runId, scenarios);
  } catch (error) {
    process.stderr.write(
      `demo: preparing the run's customers and coupons failed: ${describeGrpcError(error).message}\n`,
    );
    return 2;
  } finally {
    clients.close();
  }
  process.stdout.write(`${outcomeTable(results)}\n\n`);
  const wrong = results.filter((r) => r.problem !== undefined);
  for (const r of wrong)
    process.stdout.write(`NOT AS EXPECTED: ${r.scenario.mode} / ${r.scenario.name}: ${r.problem}\n`);
  process.stdout.write(
    wrong.length === 0
      ? `all ${results.length} outcomes as expected\n`
      : `${wrong.length} of ${results.length} outcomes not as expected\n`,
  );
  return wrong.length === 0 ? 0 : 1;
}

void main().then((code) => process.exit(code));
