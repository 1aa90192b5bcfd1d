import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localRoot, readMessages } from '@ferry/protocol';
import { connectorScripts } from './connector-bundle.ts';
import { connectorEnvironment } from './connector-env.ts';
import { imageMissing } from './errors.ts';
import { type InvocationFiles, writeInvocationFiles } from './invocation-files.ts';
import { forEachLine } from './log-lines.ts';
import type { ConnectorExit, ConnectorInvocation, ConnectorRun, ConnectorRuntime } from './port.ts';
import { killGroup } from './process-group.ts';
import { supervise } from './supervision.ts';
import { warmConnectors } from './warm-connectors.ts';

export interface ProcessRuntimeOptions {
  /** The built-in connectors this runtime can run: `repository:tag` → absolute path of its entry point. */
  entryPoints: Record<string, string>;
  /** Default: the Node running Ferry. */
  nodeBinary?: string;
  /** Directory behind the connectors' `/local`, passed as LOCAL_ROOT. Default: env LOCAL_ROOT or /tmp/airbyte_local. */
  localRoot?: string;
  /** Time between SIGTERM and SIGKILL when a run is stopped. Default 2 s. */
  killGraceMs?: number;
  /**
   * Where the connectors' Node keeps compiled code between runs (NODE_COMPILE_CACHE). Default: the directory
   * Node's own `module.enableCompileCache()` uses, `<tmpdir>/node-compile-cache`.
   */
  compileCacheDir?: string;
  /** Where connectors' one-file bundles are written (see connectorScripts). Default `<tmpdir>/ferry-connector-bundles`. */
  bundleDir?: string;
  /**
   * Keep one process per image started ahead of its next run, once the image has run (ADR 0027; see
   * warmConnectors). Only for connectors whose command waits for its invocation, as `runConnector` does:
   * one that reads its command line as it loads would read the waiting process's. Default false.
   */
  warm?: boolean;
}

/**
 * A connector run is short, and compiling its modules (zod above all) was most of what a run of an empty
 * stream cost; with the cache, the second run of a connector loads its compiled code instead.
 */
const compileCache = (dir: string | undefined) => ({
  NODE_COMPILE_CACHE: dir ?? path.join(tmpdir(), 'node-compile-cache'),
});

/**
 * Runs built-in connectors as child processes of this Node. Each run gets its own process group, so a timeout
 * or cancel ends the connector and everything it started, and whatever it left behind when it exits is killed
 * too: no orphans (short of a grandchild that starts its own session).
 */
export function createProcessRuntime(options: ProcessRuntimeOptions): ConnectorRuntime {
  const node = options.nodeBinary ?? process.execPath;
  const graceMs = options.killGraceMs ?? 2000;
  const env = {
    ...connectorEnvironment(process.env),
    ...compileCache(options.compileCacheDir),
    LOCAL_ROOT: options.localRoot ?? localRoot(),
  };
  const scripts = connectorScripts(options.bundleDir ?? path.join(tmpdir(), 'ferry-connector-bundles'));
  const warm = options.warm ? warmConnectors(node, env) : undefined;
  return {
    describe: () => `process (${node})`,
    available: async () => true,
    async run(invocation, signal) {
      signal?.throwIfAborted();
      const entryPoint = options.entryPoints[invocation.image];
      if (!entryPoint) throw imageMissing(invocation.image, 'as a built-in connector');
      const files = await writeInvocationFiles(invocation);
      const args = files.args(files.dir);
      const script = scripts.scriptOf(entryPoint, invocation.image);
      let child = await warm?.take(invocation.image, invocation.env, args);
      if (!child) {
        child = spawn(node, [script, ...args], {
          detached: true, // its own process group, which we signal as a whole
          env: { ...env, ...invocation.env },
        });
        await started(child, files);
      }
      if (warm) child.once('exit', () => warm.prepare(invocation.image, script, invocation.env));
      return track(child, files, invocation, graceMs, signal);
    },
    close: async () => warm?.close(),
  };
}

async function started(child: ChildProcessWithoutNullStreams, files: InvocationFiles): Promise<void> {
  try {
    await once(child, 'spawn');
  } catch (err) {
    await files.remove();
    throw err;
  }
}

function track(
  child: ChildProcessWithoutNullStreams,
  files: InvocationFiles,
  invocation: ConnectorInvocation,
  graceMs: number,
  signal?: AbortSignal,
): ConnectorRun {
  const pid = child.pid as number;
  let killer: NodeJS.Timeout | undefined;
  const supervision = supervise(
    () => {
      killGroup(pid, 'SIGTERM');
      killer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
    },
    invocation.timeoutMs,
    signal,
  );
  // The connector is done when its main process exits: whatever it started and left running goes with it.
  child.once('exit', () => killGroup(pid, 'SIGKILL'));
  child.stdin.on('error', () => {}); // EPIPE when it exits before reading everything: the exit code tells why
  if (invocation.command !== 'write') child.stdin.end();
  const logged = forEachLine(child.stderr, invocation.onLog ?? (() => {}));
  const exit = (async (): Promise<ConnectorExit> => {
    const [code, sig] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    await logged;
    clearTimeout(killer);
    supervision.dispose();
    await files.remove();
    const reason = supervision.reason;
    return reason ? { code, signal: sig, reason } : { code, signal: sig };
  })();
  keepForReader(child.stdout);
  const messages = readMessages(child.stdout, { maxLineBytes: invocation.maxLineBytes });
  return { messages, stdin: child.stdin, exit };
}

/**
 * Once a child has exited, Node resumes each of its output streams that no one listens to for 'readable'
 * (child_process's flushStdio), and a resumed stream with no 'data' listener drops what it reads. `messages`
 * listens only once its consumer starts reading, and a connector can finish its whole run before that: a
 * process started ahead (ADR 0027) read five rows and exited while the sync was still starting its
 * destination, and the sync succeeded with 0 records. A listener from the start keeps the output buffered,
 * with the pipe's back-pressure, until it is read.
 */
const keepForReader = (stdout: NodeJS.ReadableStream) => stdout.on('readable', () => {});
