/**
 * The configured Temporal namespace (TEMPORAL_NAMESPACE): registered when the server lacks it, so `npm test`'s
 * own namespace (dtx-test) exists next to the `default` one `npm start` uses, on the same dev server.
 */
import { status } from '@grpc/grpc-js';
import { Connection, isGrpcServiceError } from '@temporalio/client';
// Not re-exported from the package index; converts a duration to the proto's seconds/nanos.
import { msToTs } from '@temporalio/common/lib/time';
import type { Config } from '../common/config';
import { temporalConnectionOptions } from '../common/temporal';

/** Retention of a namespace registered here (start-dev gives its own namespaces one day, too). */
const RETENTION = '1 day';
/** A new namespace reaches the server's namespace cache within seconds; wait at most this long for it. */
const VISIBLE_WITHIN_MS = 30_000;

const codeOf = (error: unknown): number | undefined => (isGrpcServiceError(error) ? error.code : undefined);

/**
 * Registers config.temporal.namespace when the server does not know it; waits until the namespace answers.
 * Returns whether it was registered by this call. A namespace that exists is never changed.
 */
export async function ensureNamespace(config: Config): Promise<boolean> {
  const namespace = config.temporal.namespace;
  const connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: '3s' });
  try {
    const exists = async (): Promise<boolean> => {
      try {
        // the operator API reads the namespace cache the way the search-attribute calls after us do
        await connection.operatorService.listSearchAttributes({ namespace });
        return true;
      } catch (error) {
        if (codeOf(error) === status.NOT_FOUND) return false;
        throw error;
      }
    };
    if (await exists()) return false;
    let registered = true;
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        description: 'registered by the dtx stack (TEMPORAL_NAMESPACE)',
        workflowExecutionRetentionPeriod: msToTs(RETENTION),
      });
    } catch (error) {
      // another process (a parallel `stack up`, start-dev itself) registered it first
      if (codeOf(error) !== status.ALREADY_EXISTS) throw error;
      registered = false;
    }
    const until = Date.now() + VISIBLE_WITHIN_MS;
    while (!(await exists())) {
      if (Date.now() > until) {
        throw new Error(
          `namespace ${namespace} was registered but is still unknown after ${VISIBLE_WITHIN_MS} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return registered;
  } finally {
    await connection.close();
  }
}
