/**
 * What the CLI loads only when a command runs: the use cases and their wiring (the Temporal client, knex, kafkajs,
 * gRPC), the stack library (pg, kafkajs, the Temporal client) and the Temporal worker (replay). `dtx --help` and
 * usage errors need none of them: loaded at start they took most of its time.
 *
 * require, not import(): the bin may run the sources through tsx's CommonJS hook, where import() has no TypeScript
 * loader, and a require shares its module instances with the rest of the CLI whatever runs it.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the lazy loads this module is for (see above) */
type Operations = typeof import('../api/operations');
type OperationsWiring = typeof import('../api/operations/wiring');
type OutboxOperations = typeof import('../api/operations/outbox');
type TemporalOperations = typeof import('../api/operations/temporal');
type StackLibrary = typeof import('../stack');
type TemporalWorker = typeof import('@temporalio/worker');
type HistoryJson = typeof import('./history-json');

export const operations = (): Operations => require('../api/operations') as Operations;
export const operationsWiring = (): OperationsWiring =>
  require('../api/operations/wiring') as OperationsWiring;
export const outboxOperations = (): OutboxOperations =>
  require('../api/operations/outbox') as OutboxOperations;
export const temporalOperations = (): TemporalOperations =>
  require('../api/operations/temporal') as TemporalOperations;
export const stackLibrary = (): StackLibrary => require('../stack') as StackLibrary;
export const temporalWorker = (): TemporalWorker => require('@temporalio/worker') as TemporalWorker;
export const historyJson = (): HistoryJson => require('./history-json') as HistoryJson;
