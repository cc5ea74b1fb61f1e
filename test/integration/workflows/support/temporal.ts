/** Test plumbing for workflow tests: connections to the stack's Temporal server, a worker on a unique task queue. */
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { loadConfig } from '../../../../common/config';
import { temporalConnectionOptions } from '../../../../common/temporal';
import { txStateQuery, type TxState } from '../../../../workflows/contract';
import { SEARCH_ATTRIBUTE_KEYS, TX_STATUS } from '../../../../workflows/search-attributes';

const config = loadConfig();
/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD (@temporalio/proto is not a direct dependency). */
const INDEXED_VALUE_TYPE_KEYWORD = 2;

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file (webpack takes a few seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../../../workflows'),
    logger: quietLogger,
  });
  return bundle;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};

/** Registers dtx's search attributes when the namespace lacks them (the stack normally does; idempotent). */
export async function ensureSearchAttributes(connection: Connection): Promise<void> {
  const namespace = config.temporal.namespace;
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTE_KEYS.map((key) => key.name).filter(
    (name) => !(name in (existing.customAttributes ?? {})),
  );
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, INDEXED_VALUE_TYPE_KEYWORD])),
  });
}

export interface TestTemporal {
  client: Client;
  taskQueue: string;
  worker: Worker;
  /** Stops the worker and closes the connections. */
  close(): Promise<void>;
}

/** A client and a running worker on a fresh task queue. */
export async function startTestWorker(
  options: Pick<WorkerOptions, 'activities'> & Partial<WorkerOptions>,
): Promise<TestTemporal> {
  const connectionOptions = temporalConnectionOptions(config);
  const clientConnection = await Connection.connect(connectionOptions);
  await ensureSearchAttributes(clientConnection);
  const nativeConnection = await NativeConnection.connect(connectionOptions);
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle: await workflowBundle(),
    ...options,
  });
  const running = worker.run();
  return {
    client: new Client({ connection: clientConnection, namespace: config.temporal.namespace }),
    taskQueue,
    worker,
    async close() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await clientConnection.close();
    },
  };
}

/** Polls the txState query until `predicate` holds (fails after `timeoutMs`, with the last state in the message). */
export async function waitForTxState(
  handle: WorkflowHandle,
  predicate: (state: TxState) => boolean,
  timeoutMs = 30_000,
): Promise<TxState> {
  const until = Date.now() + timeoutMs;
  let last: TxState | undefined;
  for (;;) {
    try {
      last = await handle.query(txStateQuery);
      if (predicate(last)) return last;
    } catch {
      // the first workflow task may not have run yet
    }
    if (Date.now() > until) throw new Error(`txState never matched; last: ${JSON.stringify(last, null, 2)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The TxStatus search attribute as the server holds it (describe reads the execution's own record). */
export async function txStatusOf(handle: WorkflowHandle): Promise<string | undefined> {
  const description = await handle.describe();
  return description.typedSearchAttributes.get(TX_STATUS);
}

/** A unique id for this test run. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
