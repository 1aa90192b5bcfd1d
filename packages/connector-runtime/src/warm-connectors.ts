import { type ChildProcess, type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { Socket } from 'node:net';
import { killGroup } from './process-group.ts';
import { handedOver } from './warm-hand-off.ts';

const HOST = path.join(import.meta.dirname, 'warm-connector-main.ts');

/**
 * What `ps` shows of a process while it waits (`ferry-waiting <image>`); once it has its run, it shows that
 * run's command line, as a spawned connector's. Tests that look for connector processes left over skip it.
 */
export const WAITING_TITLE = 'ferry-waiting';

/**
 * How long after a run's process has exited its image's next one starts. Not at once: a spawn holds this
 * Node's thread until the child has exec'd (30-60 ms on a loaded machine), and right after one side of a
 * sync exits the runner still has the other side's end and the attempt's bookkeeping to do; started
 * beside them, the next process took their CPU too (docs/benchmarks.md, fourth session).
 */
const PREPARE_DELAY_MS = 300;

/** A connector process started ahead of its run: its code evaluated, its command waiting on fd 3. */
interface Warm {
  child: ChildProcess;
  /** The environment additions it was started with; only a run with the same ones may have it. */
  additions: string;
  spawned: boolean;
  /** Its ending while it waits: taken away when a run takes it, whose own supervision follows it then. */
  ended(): void;
}

export interface WarmConnectors {
  /**
   * The process started ahead for `image` with the same environment, if one is alive: it is sent `args`
   * (the command line after the script) and, once it has answered that it has them, belongs to the
   * caller's run, as a spawned one would. Undefined when there is none, or when it died before it answered
   * (its exit not yet seen here); a process of the image started with other additions is let go.
   */
  take(
    image: string,
    additions: Record<string, string> | undefined,
    args: string[],
  ): Promise<ChildProcessWithoutNullStreams | undefined>;
  /**
   * Starts the process ahead for `image`'s next run, PREPARE_DELAY_MS from now, unless one with these
   * additions waits already by then.
   */
  prepare(image: string, script: string, additions: Record<string, string> | undefined): void;
  /** Lets every waiting process go and resolves once they have all exited; prepares nothing more. */
  close(): Promise<void>;
}

const keyOf = (additions: Record<string, string> | undefined) =>
  JSON.stringify(Object.entries(additions ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Its pipes and itself must not keep this Node alive while it waits; a run's must, as a spawned one's do. */
function hold(child: ChildProcess, held: boolean) {
  for (const s of child.stdio) {
    const socket = s as Socket | null;
    if (held) socket?.ref();
    else socket?.unref();
  }
  if (held) child.ref();
  else child.unref();
}

/**
 * One connector process per image, started ahead (ADR 0027) with the environment a spawn would give it
 * (`env` plus the additions of the image's last run), each used for exactly one run. A process that
 * exits while it waits (a connector whose code fails to load) is not started again until the image's next
 * run, which is then spawned as usual.
 */
export function warmConnectors(node: string, env: Record<string, string>): WarmConnectors {
  const waiting = new Map<string, Warm>();
  const pending = new Set<NodeJS.Timeout>();
  let closed = false;
  const letGo = (image: string, warm: Warm) => {
    if (waiting.get(image) === warm) waiting.delete(image);
    if (warm.child.pid !== undefined) killGroup(warm.child.pid, 'SIGKILL');
  };
  return {
    async take(image, additions, args) {
      const warm = waiting.get(image);
      if (!warm) return undefined;
      waiting.delete(image);
      const alive = warm.spawned && warm.child.exitCode === null && warm.child.signalCode === null;
      if (!alive || warm.additions !== keyOf(additions)) {
        letGo(image, warm);
        return undefined;
      }
      // From here fd 3 tells whether it takes the run; once it has, the run's supervision follows its exit.
      warm.child.off('exit', warm.ended).off('error', warm.ended);
      hold(warm.child, true);
      if (await handedOver(warm.child.stdio[3] as Socket, { args, cwd: process.cwd() }))
        return warm.child as ChildProcessWithoutNullStreams;
      warm.ended();
      return undefined;
    },
    prepare(image, script, additions) {
      if (closed) return;
      const timer = setTimeout(() => {
        pending.delete(timer);
        start(image, script, additions);
      }, PREPARE_DELAY_MS).unref();
      pending.add(timer);
    },
    async close() {
      closed = true;
      for (const timer of pending) clearTimeout(timer);
      await Promise.all(
        [...waiting].map(async ([image, warm]) => {
          const running =
            warm.child.pid !== undefined && warm.child.exitCode === null && warm.child.signalCode === null;
          const gone = running ? once(warm.child, 'exit') : undefined;
          warm.child.ref(); // the exit must reach us, even when nothing else keeps this Node alive
          letGo(image, warm);
          await gone;
        }),
      );
    },
  };

  function start(image: string, script: string, additions: Record<string, string> | undefined) {
    const key = keyOf(additions);
    const present = waiting.get(image);
    if (closed || present?.additions === key) return;
    if (present) letGo(image, present);
    const child = spawn(node, [`--title=${WAITING_TITLE} ${image}`, HOST, script], {
      detached: true, // its own process group, as a spawned connector's
      env: { ...env, ...additions },
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    const warm: Warm = {
      child,
      additions: key,
      spawned: false,
      ended: () => {
        letGo(image, warm);
        for (const s of child.stdio) s?.destroy();
      },
    };
    hold(child, false);
    child.once('spawn', () => {
      warm.spawned = true;
    });
    child.once('error', warm.ended); // it could not start: the image's next run spawns one
    child.once('exit', warm.ended);
    waiting.set(image, warm);
  }
}
