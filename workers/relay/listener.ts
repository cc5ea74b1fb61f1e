/**
 * A dedicated connection per database doing `LISTEN dtx_outbox`, so the relay wakes as soon as a row commits.
 * The connection is re-opened with capped backoff when it drops (database restart, network); every (re)connect
 * also wakes the relay, because notifications sent while it was away are lost.
 */
import { Client } from 'pg';
import type { Logger } from '../../common/logger';
import { OUTBOX_CHANNEL } from '../../outbox/writer';
import { retryDelayMs } from './backoff';
import { describeError } from './errors';

export class OutboxListener {
  private client: Client | undefined;
  private stopped = false;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly onWake: (reason: 'notify' | 'connected') => void,
    private readonly logger: Logger,
  ) {}

  /** Starts listening; never throws: a database that is down is retried in the background. */
  start(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.url,
      application_name: 'dtx-relay-listen',
      keepAlive: true,
    });
    let dropped = false;
    const drop = (error?: unknown): void => {
      if (dropped) return;
      dropped = true;
      if (this.client === client) this.client = undefined;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (!this.stopped) {
        this.logger.warn(
          { err: error === undefined ? 'connection ended' : describeError(error) },
          'outbox listener lost its connection',
        );
        this.scheduleReconnect();
      }
    };
    client.on('error', drop);
    client.on('end', () => drop());
    client.on('notification', (message) => {
      if (message.channel === OUTBOX_CHANNEL) this.onWake('notify');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (error) {
      drop(error);
      return;
    }
    if (this.stopped || dropped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.failures > 0) this.logger.info({ afterFailures: this.failures }, 'outbox listener reconnected');
    this.failures = 0;
    this.onWake('connected');
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.failures += 1;
    const delay = retryDelayMs(this.failures, 200, 10_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }

  /** Whether the LISTEN connection is up (for status output). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }
}
