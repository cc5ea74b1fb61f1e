/**
 * A TCP proxy in front of a gRPC service that counts the calls reaching it: every HTTP/2 HEADERS frame the client
 * sends opens one call (one stream). It sits in the test process, so it keeps counting while the service behind it
 * is stopped: the count is "calls sent to the service's port", whether it could answer or not.
 */
import * as net from 'node:net';

const PREFACE_LENGTH = 24; // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
const FRAME_HEADER = 9;
const HEADERS = 0x1;

export interface CountingProxy {
  address: string;
  /** Epoch ms of every call (HEADERS frame) seen so far. */
  calls: number[];
  callsBetween(from: number, to: number): number;
  close(): Promise<void>;
}

/** Counts HEADERS frames in a client→server HTTP/2 byte stream (fed chunk by chunk). */
function frameCounter(onCall: () => void): (chunk: Buffer) => void {
  let buffer = Buffer.alloc(0);
  let prefaceLeft = PREFACE_LENGTH;
  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (prefaceLeft > 0) {
      const skip = Math.min(prefaceLeft, buffer.length);
      buffer = buffer.subarray(skip);
      prefaceLeft -= skip;
    }
    while (buffer.length >= FRAME_HEADER) {
      const length = buffer.readUIntBE(0, 3);
      if (buffer.length < FRAME_HEADER + length) break;
      if (buffer[3] === HEADERS) onCall();
      buffer = buffer.subarray(FRAME_HEADER + length);
    }
  };
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const [host, port] = [
    target.slice(0, target.lastIndexOf(':')),
    Number(target.slice(target.lastIndexOf(':') + 1)),
  ];
  const calls: number[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    sockets.add(client).add(upstream);
    const count = frameCounter(() => calls.push(Date.now()));
    client.on('data', (chunk: Buffer) => {
      count(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: bound } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${bound}`,
    calls,
    callsBetween: (from, to) => calls.filter((t) => t >= from && t < to).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
