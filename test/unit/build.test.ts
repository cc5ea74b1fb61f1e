/**
 * `npm run build` (tools/build.js): every .ts outside test/ compiled to one .js each, the stamp that tells the dtx bin
 * and `npm start` whether dist/ is current (an edit, an added or a removed file makes it stale), the compiled CLI
 * answering --help without loading the Temporal SDK, knex, kafkajs, pg, gRPC or OpenTelemetry, and the compiled
 * migrations known by the .ts names the databases recorded.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, sourceFiles, staleReason } from '../../tools/build';
import { MigrationFiles } from '../../common/migrate';

jest.setTimeout(120_000);

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function write(root: string, file: string, text: string, mtime?: Date): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
  if (mtime) fs.utimesSync(path.join(root, file), mtime, mtime);
}

describe('a small project', () => {
  let root: string;
  const past = new Date(Date.now() - 3_600_000);
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dtx-build-'));
    write(root, 'lib/value.ts', 'export const value: number = 41;\n', past);
    write(root, 'lib/main.ts', "import { value } from './value';\nexport const answer = value + 1;\n", past);
    write(root, 'test/ignored.test.ts', 'this is not TypeScript {', past);
    write(root, 'node_modules/pkg/index.ts', 'neither is this {', past);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('compiles every source outside test/ and node_modules/, runnable with plain node', async () => {
    expect(sourceFiles(root)).toEqual(['lib/main.ts', 'lib/value.ts']);
    expect(staleReason(root)).toMatch(/missing/);
    const result = await build({ root, bundle: false });
    expect(result.files).toBe(2);
    const run = spawnSync(
      process.execPath,
      ['-p', `require(${JSON.stringify(`${root}/dist/lib/main.js`)}).answer`],
      {
        encoding: 'utf8',
      },
    );
    expect(run.stdout.trim()).toBe('42');
    expect(fs.existsSync(path.join(root, 'dist', 'lib', 'main.js.map'))).toBe(true);
    expect(staleReason(root)).toBeUndefined();
  });

  test('stale after an edit, an added or a removed source; not after a test file changes', async () => {
    await build({ root, bundle: false });
    write(root, 'test/ignored.test.ts', 'still ignored');
    expect(staleReason(root)).toBeUndefined();

    write(root, 'lib/value.ts', 'export const value: number = 1;\n');
    expect(staleReason(root)).toMatch(/changed/);
    await build({ root, bundle: false });
    expect(staleReason(root)).toBeUndefined();

    // an older file moved in (mv keeps its mtime) is still noticed
    write(root, 'lib/extra.ts', 'export const extra = 1;\n', past);
    expect(staleReason(root)).toMatch(/added, removed or renamed/);
    await build({ root, bundle: false });
    fs.rmSync(path.join(root, 'lib', 'extra.ts'));
    expect(staleReason(root)).toMatch(/added, removed or renamed/);
  });
});

describe('this repository, compiled', () => {
  // inside the checkout, so the compiled code finds node_modules and the repository root as dist/ does
  const outDir = path.join(REPO_ROOT, 'test', 'artifacts', 'build-check');
  beforeAll(async () => {
    fs.rmSync(outDir, { recursive: true, force: true });
    await build({ outDir, bundle: false });
  });
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  const HEAVY = [
    '@temporalio/',
    'knex',
    'kafkajs',
    'pg',
    '@grpc/grpc-js',
    '@opentelemetry/',
    'fastify',
    'pino',
  ];

  test.each(['--help', 'stack --help', 'tx retry --help', 'replay --help', 'order place --help'])(
    'dtx %s answers without loading the heavy libraries',
    (command: string) => {
      const args = command.split(' ');
      const script = `
        const { main } = require(${JSON.stringify(path.join(outDir, 'cli', 'main.js'))});
        main(['node', 'dtx', ...${JSON.stringify(args)}]).then((code) => {
          const loaded = Object.keys(require.cache).filter((f) => f.includes('/node_modules/'))
            .map((f) => f.split('/node_modules/').pop());
          process.stderr.write(JSON.stringify(loaded));
          process.exit(code);
        });`;
      const run = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Usage: dtx/);
      const loaded = JSON.parse(run.stderr) as string[];
      for (const library of HEAVY) expect(loaded.filter((file) => file.startsWith(`${library}`))).toEqual([]);
    },
  );

  test('compiled migrations go by the .ts names the databases recorded', async () => {
    for (const database of ['order', 'inventory', 'coupon', 'payment', 'timeline', 'api']) {
      const sources = new MigrationFiles(path.join(REPO_ROOT, 'migrations', database));
      const compiled = new MigrationFiles(path.join(outDir, 'migrations', database));
      const names = (source: MigrationFiles) =>
        source.getMigrations().then((files) => files.map((file) => source.getMigrationName(file)));
      expect(await names(compiled)).toEqual(await names(sources));
      expect((await names(compiled)).every((name) => name.endsWith('.ts'))).toBe(true);
      const [first] = await compiled.getMigrations();
      expect(first).toMatch(/\.js$/);
      expect(typeof (await compiled.getMigration(first)).up).toBe('function');
    }
  });
});
