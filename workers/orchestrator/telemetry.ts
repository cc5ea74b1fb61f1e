/** Loaded first by main.ts: tracing starts before grpc, pg, kafkajs and pino are required (common/telemetry.ts). */
import { startTelemetry } from '../../common/telemetry';

startTelemetry('worker');
