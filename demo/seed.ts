/**
 * `npm run seed`: writes the demo data (products with stock, coupons, funded wallets) through the running services'
 * admin RPCs. Safe to repeat: only what is missing is created, and wallets are never credited twice.
 * `npm start` runs the same seed on first run.
 */
import { loadConfig } from '../common/config';
import { describeGrpcError } from '../services/rpc/errors';
import { createServiceClients } from '../services/rpc/clients';
import { describeSeedData, isSeeded, seedDemoData, summaryLine } from './seed-data';

async function main(): Promise<number> {
  const config = loadConfig();
  const clients = createServiceClients(config.serviceAddresses);
  try {
    const before = await isSeeded(clients);
    const summary = await seedDemoData(clients);
    process.stdout.write(
      `${summaryLine(summary)}${before ? ' (seed marker: every seed item exists)' : ''}\n`,
    );
    for (const line of describeSeedData()) process.stdout.write(`  ${line}\n`);
    return 0;
  } catch (error) {
    const described = describeGrpcError(error);
    process.stderr.write(
      `seed failed: ${described.message}\n` +
        `(the services must be running: \`npm start\` runs them, or \`npm run services\`; addresses ${Object.values(config.serviceAddresses).join(', ')})\n`,
    );
    return 1;
  } finally {
    clients.close();
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
