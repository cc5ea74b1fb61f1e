/**
 * The metric families test/integration/telemetry/metrics.test.ts proves the scrapes show (each with the part that
 * serves it in production), and the Temporal SDK core's that it checks. docs/grafana-dashboard.json may query only these
 * (test/unit/telemetry/dashboard.test.ts).
 */
export const DTX_METRICS = {
  dtx_transactions_total: 'worker',
  dtx_transaction_duration_seconds: 'worker',
  dtx_grpc_server_calls_total: 'services',
  dtx_grpc_server_call_duration_seconds: 'services',
  dtx_barrier_outcomes_total: 'services',
  dtx_relay_sent_total: 'relay',
  dtx_relay_failed_total: 'relay',
  dtx_relay_commit_to_ack_seconds: 'relay',
  dtx_relay_pending_rows: 'relay',
  dtx_relay_dead_rows: 'relay',
  dtx_relay_blocked_rows: 'relay',
  dtx_relay_oldest_pending_age_seconds: 'relay',
  dtx_consumer_events_total: 'projector',
  dtx_consumer_lag_messages: 'projector',
  dtx_api_requests_total: 'api',
  dtx_api_request_duration_seconds: 'api',
} as const;

/** Temporal SDK core metrics the worker's scrape is checked for. */
export const TEMPORAL_METRICS = ['temporal_workflow_completed_total', 'temporal_num_pollers'] as const;
