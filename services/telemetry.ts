/** Loaded first by services/launcher.ts: tracing starts before grpc, pg, kafkajs and pino are required (common/telemetry.ts). */
import { startTelemetry } from '../common/telemetry';

startTelemetry('services');
