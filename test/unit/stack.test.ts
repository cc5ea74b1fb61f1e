/** The stack manager's building blocks, without starting any server: ports, pid files, atomic installs, pg lookup. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { installAtomically, isInstalled } from '../../stack/cache';
import { PortBusyError } from '../../stack/errors';
import { formatDuration } from '../../stack/output';
import { assertPortsFree, isLoopback, isPortFree } from '../../stack/ports';
import { findPgBinDir } from '../../stack/postgres';
import { isSameProcess, readPidFile, runCommand, writePidFile } from '../../stack/process';

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dtx-stack-unit-'));
});
afterEach(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('ports', () => {
  it('reports a taken port as busy, naming the port, its role and the env var that moves it', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      expect(await isPortFree('127.0.0.1', port)).toBe(false);
      const spec = {
        host: '127.0.0.1',
        port,
        role: 'kafka broker',
        envVarHint: 'KAFKA_BROKERS=127.0.0.1:<port>',
      };
      const error = await assertPortsFree([spec]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PortBusyError);
      const message = (error as PortBusyError).message;
      expect(message).toContain(`port ${port} (kafka broker)`);
      expect(message).toContain('KAFKA_BROKERS=127.0.0.1:<port>');
      expect(message).toContain('which this stack did not start');
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    expect(await isPortFree('127.0.0.1', port)).toBe(true);
  });

  it('treats only loopback hosts as local', () => {
    expect(['127.0.0.1', 'localhost', '::1', '127.0.1.1'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['10.0.0.5', 'db.example.com', '0.0.0.0'].map(isLoopback)).toEqual([false, false, false]);
  });
});

describe('pid files', () => {
  it('recognise the recorded process, and not a dead one or a reused pid', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const file = path.join(scratch, 'run', 'sleep.pid');
    try {
      const written = writePidFile(file, pid, 'sleep 30');
      const record = readPidFile(file);
      expect(record).toEqual(written);
      expect(record && isSameProcess(record)).toBe(true);
      // Same pid, other start time: a different process that reused the pid is not ours.
      expect(isSameProcess({ ...written, startTicks: '1' })).toBe(false);
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(isSameProcess(readPidFile(file)!)).toBe(false);
  });

  it('ignores a garbled pid file', () => {
    const file = path.join(scratch, 'bad.pid');
    fs.writeFileSync(file, 'not json');
    expect(readPidFile(file)).toBeUndefined();
    expect(readPidFile(path.join(scratch, 'missing.pid'))).toBeUndefined();
  });
});

describe('installAtomically', () => {
  it('moves a finished build into place with its completion marker', async () => {
    const target = path.join(scratch, 'tool', 'v1');
    await installAtomically(target, (temp) => Promise.resolve(fs.writeFileSync(path.join(temp, 'bin'), 'x')));
    expect(isInstalled(target)).toBe(true);
    expect(fs.readFileSync(path.join(target, 'bin'), 'utf8')).toBe('x');
    expect(fs.readdirSync(path.dirname(target))).toEqual(['v1']);
  });

  it('leaves nothing behind when the build fails', async () => {
    const target = path.join(scratch, 'tool', 'v1');
    const failing = installAtomically(target, (temp) => {
      fs.writeFileSync(path.join(temp, 'half-written'), 'x');
      return Promise.reject(new Error('network down'));
    });
    await expect(failing).rejects.toThrow('network down');
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(path.dirname(target))).toEqual([]);
  });

  it('does not trust a target without the marker, and sweeps temp dirs of dead builds', async () => {
    const parent = path.join(scratch, 'tool');
    const target = path.join(parent, 'v1');
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, 'stale'), 'x');
    fs.mkdirSync(path.join(parent, '.tmp-v1-999999999-abcd'));
    expect(isInstalled(target)).toBe(false);
    await installAtomically(target, (temp) =>
      Promise.resolve(fs.writeFileSync(path.join(temp, 'fresh'), 'x')),
    );
    expect(fs.readdirSync(target).sort()).toEqual(['.complete', 'fresh']);
    expect(fs.readdirSync(parent)).toEqual(['v1']);
  });
});

describe('findPgBinDir', () => {
  const fakeInstall = (version: string) => {
    const bin = path.join(scratch, 'postgresql', version, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    for (const tool of ['initdb', 'pg_ctl', 'postgres']) fs.writeFileSync(path.join(bin, tool), '');
    return bin;
  };

  it("prefers the cluster's version, else the newest complete install", () => {
    const v15 = fakeInstall('15');
    const v16 = fakeInstall('16');
    fs.mkdirSync(path.join(scratch, 'postgresql', '17', 'bin'), { recursive: true }); // incomplete: no server
    const root = path.join(scratch, 'postgresql');
    expect(findPgBinDir(undefined, root)).toBe(v16);
    expect(findPgBinDir('15', root)).toBe(v15);
  });
});

describe('runCommand', () => {
  it('streams lines, keeps the tail and the exit code', async () => {
    const lines: string[] = [];
    const result = await runCommand('sh', ['-c', 'echo one; echo two >&2; exit 3'], {
      onLine: (line) => lines.push(line),
    });
    expect(result.code).toBe(3);
    expect(lines.sort()).toEqual(['one', 'two']);
    expect(result.tail.sort()).toEqual(['one', 'two']);
  });
});

it('formats durations for progress lines', () => {
  expect(formatDuration(800)).toBe('0.8 s');
  expect(formatDuration(59_940)).toBe('59.9 s');
  expect(formatDuration(276_000)).toBe('4 min 36 s');
});
