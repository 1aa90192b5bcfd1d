import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import WebSocket from 'ws';

/** Channels of Kubernetes' stream protocol: the first byte of every binary frame. */
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const CLOSE = 255;
/** The first version of the protocol that can close one stream (stdin) and keep the others: Kubernetes 1.30+. */
const PROTOCOL = 'v5.channel.k8s.io';

export interface Attached {
  stdout: PassThrough;
  stderr: PassThrough;
  /** The connector's stdin; ending it closes the connector's (stdinOnce). */
  stdin: PassThrough;
  /** Resolves once the connection is closed: the container exited, or the connection broke. */
  closed: Promise<void>;
}

/**
 * Attaches to a running Pod's container (stdin, stdout, stderr; no TTY) over the API server's websocket, the
 * way `kubectl attach -i` does, with backpressure both ways: the socket is paused while stdout or stderr is
 * full, and stdin is read only as fast as frames leave. `first` goes to stdin before anything else: the
 * attach gate's newline (attach-gate.ts).
 */
export async function attachToPod(
  kubeConfig: KubeConfig,
  at: { namespace: string; pod: string; container: string },
  first: Buffer,
): Promise<Attached> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig names no current cluster');
  const query = new URLSearchParams({
    container: at.container,
    stdin: 'true',
    stdout: 'true',
    stderr: 'true',
  });
  const url = `${server.replace(/^http/, 'ws')}/api/v1/namespaces/${at.namespace}/pods/${at.pod}/attach?${query}`;
  const options: WebSocket.ClientOptions = {};
  await kubeConfig.applyToHTTPSOptions(options);
  const ws = new WebSocket(url, [PROTOCOL], options);
  try {
    await once(ws, 'open');
  } catch (error) {
    throw new Error(`attaching to pod ${at.pod} failed (Kubernetes 1.30+ speaks ${PROTOCOL}): ${error}`);
  }
  const [stdin, stdout, stderr] = [new PassThrough(), new PassThrough(), new PassThrough()];
  receive(ws, stdout, stderr);
  const closed = once(ws, 'close').then(() => {
    stdout.end();
    stderr.end();
    stdin.destroy(); // writes to a container that is gone fail, as an EPIPE would
  });
  ws.on('error', () => {}); // a close follows
  void send(ws, stdin, first).catch(() => stdin.destroy());
  return { stdout, stderr, stdin, closed };
}

function receive(ws: WebSocket, stdout: Writable, stderr: Writable): void {
  let paused = 0;
  const hold = (target: Writable) => {
    if (paused++ === 0) ws.pause();
    const release = () => {
      target.off('drain', release).off('close', release);
      if (--paused === 0) ws.resume();
    };
    target.on('drain', release).on('close', release);
  };
  ws.on('message', (data: Buffer) => {
    const payload = data.subarray(1);
    if (data[0] === CLOSE) {
      if (payload[0] === STDOUT) stdout.end();
      if (payload[0] === STDERR) stderr.end();
      return;
    }
    const target = data[0] === STDOUT ? stdout : data[0] === STDERR ? stderr : undefined;
    // A consumer that stopped reading (destroyed its side) no longer holds the connector up.
    if (target && !target.destroyed && !target.writableEnded && !target.write(payload)) hold(target);
  });
}

/** Frames of stdin, each sent only once the previous one has left; then the close of stdin. */
async function send(ws: WebSocket, stdin: PassThrough, first: Buffer): Promise<void> {
  const frame = (channel: number, data: Buffer) =>
    new Promise<void>((resolve, reject) =>
      ws.send(Buffer.concat([Buffer.from([channel]), data]), (error) => (error ? reject(error) : resolve())),
    );
  await frame(STDIN, first);
  for await (const chunk of stdin) await frame(STDIN, chunk as Buffer);
  await frame(CLOSE, Buffer.from([STDIN]));
}
