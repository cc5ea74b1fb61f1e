/**
 * One domain service in its own process, for tests that stop it (SIGSTOP) without stopping the test process:
 * `node --import tsx service-process.ts <service>` binds 127.0.0.1:<ephemeral> and prints `address <host:port>`.
 * Exits on SIGTERM.
 */
import pino from 'pino';
import { SERVICE_NAMES } from '../../../../common/config';
import { startService } from '../../../../services/runtime';

async function main(): Promise<void> {
  const service = SERVICE_NAMES.find((s) => s === process.argv[2]);
  if (!service) throw new Error(`usage: service-process.ts <${SERVICE_NAMES.join('|')}>`);
  const running = await startService(service, {
    address: '127.0.0.1:0',
    faults: '',
    logger: pino({ level: 'silent' }),
    migrate: false,
  });
  process.stdout.write(`address ${running.address}\n`);
  process.once('SIGTERM', () => {
    void running.stop(200).then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
