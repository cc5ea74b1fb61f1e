/** `dtx breakers`: the worker's circuit breaker per service, read from each worker's ops server (/metrics). */
import { Command } from 'commander';
import { SERVICE_NAMES } from '../../common/config';
import { readBreakers } from '../../api/operations/degradation';
import { unavailable } from '../../api/operations/errors';
import { action } from '../context';
import { formatTable } from '../output';

/** A person asking can wait longer than an order being admitted. */
const CLI_TIMEOUT_MS = 5_000;

export function breakersCommand(): Command {
  return new Command('breakers')
    .description(
      "the worker's circuit breaker per service: closed, open (calls fail fast with CIRCUIT_OPEN) or half-open (one probe)",
    )
    .action(
      action(async ({ out, config }) => {
        const urls = config().breaker.watchUrls;
        if (urls.length === 0)
          throw unavailable('DTX_BREAKER_WATCH_URLS is off: no worker ops server to read the breakers from');
        const reports = await out.progress('reading the workers’ breakers', () =>
          readBreakers(urls, undefined, CLI_TIMEOUT_MS),
        );
        if (reports.every((r) => r.error !== undefined))
          throw unavailable(
            `no worker answered on ${urls.join(', ')} (${reports[0]?.error ?? ''}); is the worker running with its ops server (DTX_WORKER_OPS_PORT)?`,
          );
        const rows = reports.flatMap((r) =>
          r.states === undefined
            ? [{ worker: r.url, service: '', state: '', error: r.error ?? '' }]
            : SERVICE_NAMES.map((service) => ({
                worker: r.url,
                service,
                state: r.states?.[service] ?? 'unknown',
                error: '',
              })),
        );
        out.result({ workers: reports }, () =>
          formatTable(rows, [
            { header: 'worker', value: (r) => r.worker },
            { header: 'service', value: (r) => r.service },
            { header: 'breaker', value: (r) => r.state },
            { header: 'error', value: (r) => r.error },
          ]),
        );
      }),
    );
}
