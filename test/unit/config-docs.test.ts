/**
 * docs/configuration.md cannot drift: it is what `npm run docs:config` writes from CONFIG_SECTIONS, and that table is
 * held to loadConfig itself (the variables it reads, the defaults it applies).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { CONFIG_SECTIONS, loadConfig, type Env } from '../../common/config';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const listed = CONFIG_SECTIONS.flatMap((section) => section.variables);

/** The names loadConfig looks up in `env` (a proxy that records every read). */
function variablesRead(env: Env): Set<string> {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key) as unknown;
    },
  });
  loadConfig(recording);
  return read;
}

test('docs/configuration.md is up to date with common/config.ts (else: npm run docs:config)', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'tools/config-docs.ts', '--check'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
});

test('the table lists exactly the variables loadConfig reads', () => {
  // SASL's user and password are read only once a mechanism is set
  const read = new Set([
    ...variablesRead({}),
    ...variablesRead({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }),
  ]);
  const names = listed.map((variable) => variable.name);
  expect(new Set(names).size).toBe(names.length);
  expect([...read].sort()).toEqual([...names].sort());
});

test('every variable has a default (a value or words) and a meaning', () => {
  for (const variable of listed) {
    expect({
      name: variable.name,
      hasDefault: variable.default !== undefined || !!variable.defaultText,
    }).toEqual({
      name: variable.name,
      hasDefault: true,
    });
    expect(variable.meaning.length).toBeGreaterThan(5);
  }
});

test.each(listed.filter((variable) => variable.default !== undefined && variable.default !== ''))(
  '$name set to its listed default ($default) changes nothing',
  (variable) => {
    expect(loadConfig({ [variable.name]: variable.default })).toEqual(loadConfig({}));
  },
);
