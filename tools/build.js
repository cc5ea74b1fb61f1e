#!/usr/bin/env node
// `npm run build`: compiles every TypeScript file of the project (all but test/ and node_modules/) to dist/, one file
// at a time with swc (tsconfig.json has isolatedModules, so per-file output is what tsc would emit; types are checked
// by `npm run typecheck`, as tsx never checked them either), then bundles the workflow code once for the worker
// (dist/workflow-bundle.js: the worker no longer runs webpack at every start), then writes a stamp.
//
// `--if-stale`: builds only when dist/ is missing or stale. Stale = the stamp's signature differs from the sources':
// the sorted list of input files (a file added, removed or renamed) and the newest mtime among them (a file edited).
// Plain JavaScript, so the `dtx` bin and start/start.sh can ask for freshness before anything is compiled.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..');
const DIST = 'dist';
const STAMP = '.build-stamp.json';
/** Folders at the repository root that hold no compiled code (test/ runs from source through jest and tsx). */
const SKIPPED_ROOT_DIRS = new Set([DIST, 'node_modules', 'test', 'coverage', 'docs', '.git', '.dtx', '.ci']);
/** Inputs besides the .ts files: the compile settings (this file) and the packages bundled into the workflow code. */
const EXTRA_INPUTS = ['tools/build.js', 'package-lock.json'];
const WORKFLOW_BUNDLE = 'workflow-bundle.js';

/** Relative paths of the TypeScript sources to compile, sorted. */
function sourceFiles(root = REPO_ROOT) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
        // dist.tmp-<pid>/ and dist.old-<pid>/ exist while a build swaps its output in
        if (dir === '' && (SKIPPED_ROOT_DIRS.has(entry.name) || entry.name.startsWith(`${DIST}.`))) continue;
        walk(rel);
      } else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        files.push(rel);
      }
    }
  };
  walk('');
  return files.sort();
}

/** The sources' signature: which inputs exist and when the newest was last changed. */
function signature(root = REPO_ROOT) {
  const inputs = [...sourceFiles(root), ...EXTRA_INPUTS.filter((f) => fs.existsSync(path.join(root, f)))];
  let newest = 0;
  for (const file of inputs) newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs);
  const list = crypto.createHash('sha1').update(inputs.join('\n')).digest('hex');
  return { files: inputs.length, list, newestMtimeMs: newest };
}

/** Why dist/ cannot be used as is, or undefined when it is current. */
function staleReason(root = REPO_ROOT, outDir = path.join(root, DIST)) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(outDir, STAMP), 'utf8'));
  } catch {
    return `${path.relative(root, outDir) || outDir} is missing or was not built completely`;
  }
  const now = signature(root);
  if (stamp.list !== now.list) return 'source files were added, removed or renamed since the last build';
  if (stamp.newestMtimeMs !== now.newestMtimeMs) return 'sources changed since the last build';
  return undefined;
}

/** Compiles one file; the source map points back at the .ts file. */
async function compileFile(swc, root, outDir, rel) {
  const source = path.join(root, rel);
  const target = path.join(outDir, rel.replace(/\.ts$/, '.js'));
  const output = await swc.transformFile(source, {
    swcrc: false,
    configFile: false,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: true,
    sourceFileName: path.relative(path.dirname(target), source),
  });
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const mapName = `${path.basename(target)}.map`;
  await fs.promises.writeFile(target, `${output.code}\n//# sourceMappingURL=${mapName}\n`);
  if (output.map) await fs.promises.writeFile(`${target}.map`, output.map);
}

/**
 * The workflow code as the worker would bundle it at start, with the interceptor modules the compiled wiring names
 * (workers/orchestrator/wiring.ts loads this bundle when it runs from dist/). Bundled from the .ts sources, so stack
 * traces of workflow code name them.
 */
async function bundleWorkflows(root, outDir) {
  const { bundleWorkflowCode, DefaultLogger } = require('@temporalio/worker');
  const wiring = require(path.join(outDir, 'workers', 'orchestrator', 'wiring.js'));
  const toSource = (compiled) => path.join(root, path.relative(outDir, compiled)).replace(/\.js$/, '.ts');
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(root, 'workflows', 'index.ts'),
    workflowInterceptorModules: (wiring.WORKFLOW_INTERCEPTOR_MODULES || []).map(toSource),
    logger: new DefaultLogger('WARN'),
  });
  await fs.promises.writeFile(path.join(outDir, WORKFLOW_BUNDLE), code);
}

/**
 * Builds into a fresh folder next to dist/ and swaps it in, so a process running from dist/ never sees it half
 * written. Returns what it did, for the caller's one line.
 */
async function build({ root = REPO_ROOT, outDir = path.join(root, DIST), bundle = true } = {}) {
  const started = Date.now();
  const swc = require('@swc/core');
  const sig = signature(root);
  const files = sourceFiles(root);
  const temp = `${outDir}.tmp-${process.pid}`;
  await fs.promises.rm(temp, { recursive: true, force: true });
  try {
    await Promise.all(files.map((rel) => compileFile(swc, root, temp, rel)));
    const compiledMs = Date.now() - started;
    if (bundle) await bundleWorkflows(root, temp);
    await fs.promises.writeFile(
      path.join(temp, STAMP),
      `${JSON.stringify({ ...sig, builtAt: new Date() })}\n`,
    );
    const old = `${outDir}.old-${process.pid}`;
    if (fs.existsSync(outDir)) await fs.promises.rename(outDir, old);
    await fs.promises.rename(temp, outDir);
    await fs.promises.rm(old, { recursive: true, force: true });
    return { files: files.length, compiledMs, totalMs: Date.now() - started };
  } catch (error) {
    await fs.promises.rm(temp, { recursive: true, force: true });
    throw error;
  }
}

module.exports = { build, staleReason, sourceFiles, signature, DIST, STAMP, WORKFLOW_BUNDLE };

if (require.main === module) {
  const ifStale = process.argv.includes('--if-stale');
  const reason = staleReason();
  if (ifStale && reason === undefined) process.exit(0);
  process.stdout.write(`[build] compiling to ${DIST}/${reason && ifStale ? ` (${reason})` : ''}\n`);
  build().then(
    ({ files, compiledMs, totalMs }) => {
      process.stdout.write(
        `[build] ${files} files compiled in ${compiledMs} ms, workflow code bundled; done in ${totalMs} ms\n`,
      );
    },
    (error) => {
      process.stderr.write(`[build] FAILED: ${error && error.stack ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
