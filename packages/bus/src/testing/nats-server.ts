import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';

/** A real nats-server for integration tests, on 127.0.0.1 and a free port. */
export interface NatsServer {
  url: string;
  port: number;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
  /** SIGKILL, for tests of a server that dies without warning. */
  kill9(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const running = new Set<ChildProcess>();
// Best effort: a test process that exits without stopping its servers must not leave them behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface NatsServerOptions {
  /** Restart a server where a killed one was. */
  port?: number;
  /** A nats-server configuration file (`-c`): authorization, TLS, ... Its listen address and port are ours. */
  configFile?: string;
  /** More command-line arguments, e.g. `['--user', 'a', '--pass', 'b']`. */
  args?: string[];
  /** The server's environment besides ours: a configuration file may name variables (`$NAME`). */
  env?: Record<string, string>;
  /**
   * JetStream on (`-js`), storing in this directory (`-sd`): give the same one to a server restarted where a
   * killed one was, so its streams survive. Created when missing.
   */
  jetstream?: { storeDir: string };
}

/**
 * Starts `nats-server` (env `NATS_SERVER_BIN`, else /usr/sbin/nats-server, else PATH) and resolves once it
 * says it is ready.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  if (options.port !== undefined) return launch(options.port, options);
  // Another process may take the free port before nats-server binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(await freePort(), options);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

async function launch(port: number, options: NatsServerOptions): Promise<NatsServer> {
  if (options.jetstream) mkdirSync(options.jetstream.storeDir, { recursive: true });
  const args = [
    ...(options.configFile ? ['-c', options.configFile] : []),
    ...(options.args ?? []),
    ...(options.jetstream ? ['-js', '-sd', options.jetstream.storeDir] : []),
    // After the file: command-line flags override what it says.
    ...['-a', '127.0.0.1', '-p', String(port)],
  ];
  const child = spawn(natsServerBin(), args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve())).then(() => {
    running.delete(child);
  });
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  try {
    await untilReady(child);
  } catch (error) {
    await stopWith('SIGKILL');
    throw new Error(`nats-server did not start on port ${port}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const stop = () => stopWith('SIGTERM');
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    stop,
    kill9: () => stopWith('SIGKILL'),
    [Symbol.asyncDispose]: stop,
  };
}

function natsServerBin(): string {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  return existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * Waits for the server's own "Server is ready" log line (written to stderr once it listens). Polling the port
 * instead could be fooled by another process already holding it.
 */
function untilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`no "Server is ready" within 10 s\n${log}`)), 10_000);
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      outcome();
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
      if (log.includes('Server is ready')) settle(resolve);
    });
    child.once('error', (error) => settle(() => reject(error)));
    child.once('exit', () => settle(() => reject(new Error(`exited\n${log.trim()}`))));
  });
}
