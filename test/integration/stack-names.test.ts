/**
 * What `dtx stack up` (and the tests' global setup) does for a deployment's own names, which `npm test` relies on
 * for its dtx-test namespace and test_dtx_* databases: a missing Temporal namespace is registered and given dtx's
 * search attributes; the databases missing under DTX_DB_PREFIX are created. On throwaway names, removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { Client } from 'pg';
import { DATABASE_NAMES, loadConfig } from '../../common/config';
import { temporalConnectionOptions } from '../../common/temporal';
import { ensureNamespace } from '../../stack/namespace';
import { ensureDatabases } from '../../stack/postgres';
import { ensureSearchAttributes } from '../../stack/temporal';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes';

const run = randomBytes(3).toString('hex');
const attributeNames = SEARCH_ATTRIBUTE_KEYS.map((key) => key.name);

test('a missing namespace is registered with dtx’s search attributes; a second call changes nothing', async () => {
  const namespace = `dtx-stack-test-${run}`;
  const config = loadConfig({ ...process.env, TEMPORAL_NAMESPACE: namespace });
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    expect(await ensureNamespace(config)).toBe(true);
    expect((await ensureSearchAttributes(config)).sort()).toEqual([...attributeNames].sort());

    const described = await connection.workflowService.describeNamespace({ namespace });
    expect(described.namespaceInfo?.name).toBe(namespace);
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    for (const name of attributeNames) expect(listed.customAttributes?.[name]).toBeDefined();

    expect(await ensureNamespace(config)).toBe(false);
    expect(await ensureSearchAttributes(config)).toEqual([]);
  } finally {
    await connection.operatorService.deleteNamespace({ namespace }).catch(() => undefined);
    await connection.close();
  }
});

test('the databases missing under DTX_DB_PREFIX are created, the present ones kept', async () => {
  const prefix = `stack_test_${run}_`;
  const config = loadConfig({ ...process.env, DTX_DB_PREFIX: prefix });
  const names = DATABASE_NAMES.map((db) => `${prefix}dtx_${db}`);
  const admin = new Client({ connectionString: config.postgresServerUrl });
  await admin.connect();
  const present = async () =>
    (
      await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [
        `${prefix}%`,
      ])
    ).rows
      .map((row) => row.datname)
      .sort();
  try {
    await admin.query(`create database "${names[0]}"`);
    expect((await ensureDatabases(config)).sort()).toEqual(names.slice(1).sort());
    expect(await present()).toEqual([...names].sort());
    expect(await ensureDatabases(config)).toEqual([]);
  } finally {
    for (const name of names) await admin.query(`drop database if exists "${name}"`);
    await admin.end();
  }
});
