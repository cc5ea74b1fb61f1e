/** Readiness probes of the dtx parts: gRPC health, a Temporal worker polling its task queue, an HTTP 200. */
import * as os from 'node:os';
import * as grpc from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import { service as healthService } from 'grpc-health-check';
import type { Config } from '../common/config';
import { temporalConnectionOptions } from '../common/temporal';
import { channelCredentials } from '../services/rpc/clients';

const PROBE_DEADLINE_MS = 2_000;
/** temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW (@temporalio/proto is not a direct dependency). */
const TASK_QUEUE_TYPE_WORKFLOW = 1;
/** temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL */
const TASK_QUEUE_KIND_NORMAL = 1;

interface HealthCheckResponse {
  status?: string | number;
}
type HealthClient = grpc.Client & {
  check(
    request: { service: string },
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: HealthCheckResponse) => void,
  ): grpc.ClientUnaryCall;
};
// grpc-health-check exports the proto-loader definition of grpc.health.v1.Health; grpc-js builds a client from it
const HealthClientConstructor = grpc.makeGenericClientConstructor(healthService, 'Health') as unknown as new (
  address: string,
  credentials: grpc.ChannelCredentials,
) => HealthClient;

/**
 * True when the gRPC server at `address` reports SERVING (grpc.health.v1, the overall status ''); over TLS when the
 * services serve TLS (DTX_GRPC_TLS_*).
 */
export function grpcServing(
  address: string,
  credentials: grpc.ChannelCredentials = channelCredentials(),
): Promise<boolean> {
  const client = new HealthClientConstructor(address, credentials);
  return new Promise<boolean>((resolve) => {
    client.check({ service: '' }, { deadline: Date.now() + PROBE_DEADLINE_MS }, (error, response) => {
      resolve(!error && (response?.status === 'SERVING' || response?.status === 1));
    });
  }).finally(() => client.close());
}

/** True when `url` answers 200 (with the API key, when one is configured). */
export async function httpOk(url: string, apiKey?: string): Promise<boolean> {
  const response = await fetch(url, {
    headers: apiKey ? { 'x-api-key': apiKey } : {},
    signal: AbortSignal.timeout(PROBE_DEADLINE_MS),
  });
  await response.body?.cancel();
  return response.status === 200;
}

/** Temporal probes over one lazily opened connection; `close()` when done. */
export class TemporalProbe {
  private connection?: Connection;

  constructor(private readonly config: Config) {}

  /** True when the worker process `pid` of this machine polls `taskQueue` for workflow tasks (the SDK's default identity). */
  async workerPolls(taskQueue: string, pid: number): Promise<boolean> {
    this.connection ??= Connection.lazy(temporalConnectionOptions(this.config));
    const response = await this.connection.workflowService.describeTaskQueue({
      namespace: this.config.temporal.namespace,
      taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
      taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
    });
    const identity = `${pid}@${os.hostname()}`;
    return (response.pollers ?? []).some((poller) => poller.identity === identity);
  }

  async close(): Promise<void> {
    await this.connection?.close();
  }
}
