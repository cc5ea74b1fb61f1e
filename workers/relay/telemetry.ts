/** Loaded first by main.ts: tracing starts before grpc, pg, kafkajs and pino are required (common/telemetry.ts). */
import { startTelemetry } from '../../common/telemetry';

// kafkajs off: the relay makes each message's producer span itself, a child of the trace stored in its outbox row
// (workers/relay/tracing.ts); the instrumentation would give a whole batch one parent and overwrite the header
startTelemetry('relay', { kafkajs: false });
