/** Port checks: is a port free to bind, and if not, which process holds it. */
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { PortBusyError } from './errors';
import { processCommandLine } from './process';

/** A port a component binds, and the env var that moves it. */
export interface PortSpec {
  host: string;
  port: number;
  /** What listens there, e.g. "kafka broker". */
  role: string;
  /** How to move it, e.g. "KAFKA_BROKERS=127.0.0.1:<port>". */
  envVarHint: string;
}

/** True when `host:port` can be bound right now. */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** "pid 123 (java -Xmx512m ...)" for the process listening on a TCP port, when `ss` can tell. */
export function portOwner(port: number): string | undefined {
  const result = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  if (result.status !== 0 || !result.stdout) return undefined;
  const match = /users:\(\("([^"]*)",pid=(\d+)/.exec(result.stdout);
  if (!match) return undefined;
  const pid = Number(match[2]);
  const commandLine = processCommandLine(pid) ?? match[1];
  const shortened = commandLine.length > 140 ? `${commandLine.slice(0, 137)}...` : commandLine;
  return `pid ${pid} (${shortened})`;
}

/** Throws PortBusyError for the first port of `specs` that is taken. */
export async function assertPortsFree(specs: PortSpec[]): Promise<void> {
  for (const spec of specs) {
    if (!(await isPortFree(spec.host, spec.port))) {
      throw new PortBusyError(spec.port, spec.role, portOwner(spec.port), spec.envVarHint);
    }
  }
}

/** True for addresses on this machine's loopback interface (the ones the stack may start servers on). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
