/**
 * Zipkin: the trace viewer of the local stack (optional: started by `dtx stack up zipkin`, `npm start -- --tracing`
 * or DTX_TRACING=1, never by a bare `up`). The server's one executable jar comes from Maven Central (fetched once with
 * mvn into $DTX_CACHE, like the Kafka jars); it keeps spans in memory, binds 127.0.0.1 and serves its UI and
 * `/api/v2/spans` on DTX_ZIPKIN_PORT.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { installAtomically, isInstalled } from './cache';
import { logFileOf, type Component, type StackContext, type Started } from './component';
import { InstallError, MissingToolError } from './errors';
import { formatDuration, since } from './output';
import type { PortSpec } from './ports';
import { runCommand, spawnDetached, stopProcess, which, type PidRecord } from './process';

export const ZIPKIN_VERSION = '3.5.1';
const ARTIFACT = `io.zipkin:zipkin-server:${ZIPKIN_VERSION}:jar:exec`;
const JAR = `zipkin-server-${ZIPKIN_VERSION}-exec.jar`;
const HOST = '127.0.0.1';
const HEARTBEAT_MS = 15_000;

function installDir(ctx: StackContext): string {
  return path.join(ctx.cacheDir, 'zipkin', ZIPKIN_VERSION);
}

/** The local Zipkin's base URL (UI under /zipkin, API under /api/v2). */
export function zipkinUrl(config: StackContext['config']): string {
  return `http://${HOST}:${config.tracing.zipkinPort}`;
}

/** Where OpenTelemetry's Zipkin exporter sends spans (OTEL_EXPORTER_ZIPKIN_ENDPOINT). */
export function zipkinSpansEndpoint(config: StackContext['config']): string {
  return `${zipkinUrl(config)}/api/v2/spans`;
}

function requireJava(): string {
  const java = which('java');
  if (!java) {
    throw new MissingToolError(
      'java (runs the Zipkin server)',
      'apt-get install -y openjdk-17-jre-headless (or any Java 17+ runtime on PATH)',
    );
  }
  return java;
}

/** `mvn dependency:copy` of the one exec jar (no project, no transitive jars: it is self-contained). */
async function fetchJar(ctx: StackContext): Promise<void> {
  const mvn = which('mvn');
  if (!mvn)
    throw new MissingToolError('mvn (needed once, to fetch the Zipkin jar)', 'apt-get install -y maven');
  const out = (text: string) => ctx.out.line('zipkin', text);
  const startedAt = Date.now();
  out(`fetching ${ARTIFACT} from Maven Central with mvn (first run only)`);
  await installAtomically(installDir(ctx), async (tempDir) => {
    const result = await runCommand(
      mvn,
      ['-B', '-q', 'dependency:copy', `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${tempDir}`],
      {
        cwd: tempDir,
        onLine: (line) => out(`  ${line}`),
        heartbeatMs: HEARTBEAT_MS,
        onHeartbeat: (elapsed) => out(`  ... still fetching (${formatDuration(elapsed)})`),
      },
    );
    if (result.code !== 0) {
      throw new InstallError('mvn dependency:copy', `exit code ${result.code ?? result.signal}`, result.tail);
    }
    if (!fs.existsSync(path.join(tempDir, JAR))) {
      throw new InstallError('mvn dependency:copy', `${JAR} is missing from the fetched files`, []);
    }
  });
  out(`Zipkin ${ZIPKIN_VERSION} installed at ${installDir(ctx)} (${since(startedAt)})`);
}

export const zipkinComponent: Component = {
  name: 'zipkin',
  // a cold JVM start of the 130 MB jar takes ~10-20 s on a busy machine
  readinessTimeoutMs: 120_000,

  address(ctx) {
    return zipkinUrl(ctx.config);
  },

  managed() {
    return true;
  },

  ports(ctx): PortSpec[] {
    return [
      {
        host: HOST,
        port: ctx.config.tracing.zipkinPort,
        role: 'zipkin',
        envVarHint: 'DTX_ZIPKIN_PORT=<port>',
      },
    ];
  },

  async install(ctx) {
    requireJava();
    if (isInstalled(installDir(ctx))) return;
    await fetchJar(ctx);
  },

  start(ctx): Promise<Started> {
    const java = requireJava();
    const dir = path.join(ctx.dataDir, 'zipkin');
    fs.mkdirSync(dir, { recursive: true });
    const args = [
      '-Xms64m',
      '-Xmx384m',
      '-jar',
      path.join(installDir(ctx), JAR),
      // the server listens through Armeria, which ignores Spring's server.address: its port list binds it to loopback
      `--armeria.ports[0].ip=${HOST}`,
      `--armeria.ports[0].port=${ctx.config.tracing.zipkinPort}`,
      '--armeria.ports[0].protocols[0]=http',
    ];
    // in-memory storage (the default): traces are gone when it stops, which is what a local viewer wants
    const child = spawnDetached(java, args, {
      cwd: dir,
      env: { ...process.env, STORAGE_TYPE: 'mem' },
      logFile: logFileOf(ctx, 'zipkin'),
    });
    return Promise.resolve({ pid: child.pid, command: `${java} ${args.join(' ')}`, exited: child.exited });
  },

  async probe(ctx) {
    try {
      const response = await fetch(`${zipkinUrl(ctx.config)}/health`, { signal: AbortSignal.timeout(3000) });
      return response.ok;
    } catch {
      return false;
    }
  },

  afterReady() {
    return Promise.resolve(undefined);
  },

  stop(_ctx, record: PidRecord) {
    return stopProcess(record, { graceMs: 15_000, group: true });
  },
};
