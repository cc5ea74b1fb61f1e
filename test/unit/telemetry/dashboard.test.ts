/** docs/grafana-dashboard.json queries only metrics the telemetry integration tests prove exist, and parses as JSON. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DTX_METRICS, TEMPORAL_METRICS } from '../../integration/telemetry/support/metric-names';

const DASHBOARD = path.resolve(__dirname, '..', '..', '..', 'docs', 'grafana-dashboard.json');

interface Panel {
  title: string;
  targets?: { expr: string }[];
}

/** The metric names a PromQL expression reads (histogram series mapped to their family). */
function metricsOf(expr: string): string[] {
  const names = expr.match(/\b(dtx|temporal)_[a-z0-9_]+/g) ?? [];
  return names.map((name) => name.replace(/_(bucket|sum|count)$/, ''));
}

test('every query is over a proven metric, and every proven dtx metric is on the dashboard', () => {
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  const proven = new Set<string>([...Object.keys(DTX_METRICS), ...TEMPORAL_METRICS]);
  const used = dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).flatMap((target) => metricsOf(target.expr)),
  );
  expect(used.filter((name) => !proven.has(name))).toEqual([]);
  expect(Object.keys(DTX_METRICS).filter((name) => !used.includes(name))).toEqual([]);
});
