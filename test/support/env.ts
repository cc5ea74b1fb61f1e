/**
 * The names the tests use, apart from those of a running `npm start` (which uses the defaults): their own
 * databases (test_dtx_*), Temporal namespace (dtx-test) and Kafka topics/groups (test.dtx.*). One list,
 * test-names.json: jest.config.js puts it into the environment of every jest run (an explicit value wins) and
 * tools/test.sh into npm test's stages, so neither `npm test` nor a bare `npx jest` touches the shop's data.
 */
import * as path from 'node:path';
import { loadConfig, type Config } from '../../common/config';
import TEST_NAMES from './test-names.json';

export { TEST_NAMES };

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** Per-test-file logs (git-ignored): a passing run keeps them out of the terminal, a failing one prints its tail. */
export const LOGS_DIR = path.join(REPO_ROOT, 'test', 'artifacts', 'logs');

export class SharedNamesError extends Error {
  constructor(clashes: string[]) {
    super(
      `the tests would use the data of \`npm start\`: ${clashes.join('; ')}. ` +
        `Unset these variables (the tests then use ${Object.entries(TEST_NAMES)
          .map(([name, value]) => `${name}=${value}`)
          .join(', ')}) or give them other values.`,
    );
    this.name = 'SharedNamesError';
  }
}

/** Throws when `config` names a database, the namespace or the Kafka names a default `npm start` uses. */
export function assertApartFromStart(config: Config): void {
  const shop = loadConfig({ DTX_PG_URL: config.postgresServerUrl });
  const clashes: string[] = [];
  if (config.temporal.namespace === shop.temporal.namespace)
    clashes.push(`Temporal namespace "${config.temporal.namespace}" (TEMPORAL_NAMESPACE)`);
  if (config.kafka.namePrefix === shop.kafka.namePrefix)
    clashes.push(`Kafka topics ${shop.kafka.namePrefix}dtx.<aggregate>.events (DTX_KAFKA_PREFIX)`);
  const shopDatabases = new Set(Object.values(shop.databases));
  const shared = Object.entries(config.databases).filter(([, url]) => shopDatabases.has(url));
  if (shared.length > 0)
    clashes.push(
      `databases ${shared.map(([db]) => `${shop.databasePrefix}dtx_${db}`).join(', ')} (DTX_DB_PREFIX, DTX_<DB>_DB_URL)`,
    );
  if (clashes.length > 0) throw new SharedNamesError(clashes);
}

/** The log file of one test file: test/artifacts/logs/<path under test/>.log (log-reporter.js derives it alike). */
export function logFileOf(testPath: string): string {
  return path.join(LOGS_DIR, `${path.relative(path.join(REPO_ROOT, 'test'), testPath)}.log`);
}
