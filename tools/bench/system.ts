/**
 * What the benches on the RUNNING local system share (tools/bench/saga.ts, tools/bench/flash.ts): the Temporal
 * connection once the system is up (else what is missing, named), a keep-alive JSON POST, percentiles.
 */
import * as http from 'node:http';
import { Connection } from '@temporalio/client';
import { SERVICE_NAMES, type Config } from '../../common/config';
import { temporalConnectionOptions } from '../../common/temporal';
import { apiBaseUrl } from '../../start/parts';
import { grpcServing, httpOk } from '../../start/probes';
import { TASK_QUEUE } from '../../workflows/names';

export const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The nearest-rank percentile of ascending values (NaN when there are none). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** What of the running system is missing; empty when the bench can run. */
async function missingParts(config: Config, temporal: Connection | undefined): Promise<string[]> {
  const missing: string[] = [];
  if (!temporal) {
    missing.push(`Temporal at ${config.temporal.address} does not answer (npm run stack up, or npm start)`);
  } else {
    const queue = await temporal.workflowService
      .describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: TASK_QUEUE, kind: 1 /* NORMAL */ },
        taskQueueType: 1 /* WORKFLOW */,
      })
      .catch(() => undefined);
    if (!queue?.pollers?.length)
      missing.push(`no orchestrator worker polls task queue ${TASK_QUEUE} (npm start)`);
  }
  const api = apiBaseUrl(config);
  if (!(await httpOk(`${api}/readyz`, config.api.apiKey).catch(() => false)))
    missing.push(`the API at ${api} is not ready (GET /readyz ≠ 200; npm start)`);
  for (const service of SERVICE_NAMES) {
    if (!(await grpcServing(config.serviceAddresses[service])))
      missing.push(
        `the ${service} service at ${config.serviceAddresses[service]} is not serving (npm start)`,
      );
  }
  return missing;
}

/** A Temporal connection whose namespace answers, or undefined (3 s to connect). */
async function connectTemporal(config: Config): Promise<Connection | undefined> {
  try {
    const connection = await Connection.connect({
      ...temporalConnectionOptions(config),
      connectTimeout: '3s',
    });
    await connection.workflowService.describeNamespace({ namespace: config.temporal.namespace });
    return connection;
  } catch {
    return undefined;
  }
}

/**
 * The Temporal connection when the whole system is up; otherwise undefined, after printing what is missing (the
 * caller then exits 2).
 */
export async function connectRunningSystem(bench: string, config: Config): Promise<Connection | undefined> {
  const connection = await connectTemporal(config);
  const missing = await missingParts(config, connection);
  if (missing.length === 0 && connection) return connection;
  console.error(`${bench} needs the running system (npm start); missing:`);
  for (const m of missing) console.error(`  - ${m}`);
  await connection?.close();
  return undefined;
}

/** POSTs `body` as JSON over `agent`; the answer's status, headers and body text (the caller parses it). */
export function postJson(
  agent: http.Agent,
  url: URL,
  body: unknown,
  options: { headers: Record<string, string>; timeoutMs: number },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          ...options.headers,
        },
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('HTTP timeout')));
    request.on('error', reject);
    request.end(data);
  });
}
