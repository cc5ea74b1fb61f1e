/** Loaded first by dtx.js: tracing starts before grpc, pg, kafkajs and pino are required (common/telemetry.ts). */
import { startTelemetry } from '../common/telemetry';

startTelemetry('cli');

/** For the bin: flush the queued spans before it exits. */
export { shutdownTelemetry } from '../common/telemetry';
