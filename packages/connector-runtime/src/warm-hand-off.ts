// The hand-off of a run to a connector process started ahead of it (ADR 0027), over the pipe on the
// process's fd 3: the runtime's side (`handedOver`, used by warm-connectors.ts) and what the waiting
// process (warm-connector-main.ts) reads and answers.
import type { Socket } from 'node:net';

/** What the runtime sends, as one JSON line: the command line after the script and the directory to run in. */
export interface HandOff {
  args: string[];
  cwd: string;
}

/**
 * The waiting process's answer once it has the line, one byte: the run is its from then on. A process that
 * dies before it answers closes fd 3 unanswered, and the runtime spawns the run as before.
 */
export const TAKEN = '+';

/**
 * Sends a waiting process its run on fd 3 (`control`, the runtime's end): true once it answers, false when
 * the pipe closes unanswered. A process dead before it read the line (killed, crashed) never answers, even
 * when its exit has not reached this Node yet: the run's `exitCode` check alone left that window open. Its
 * end of the pipe may even be seen closed before its exit: then there is nothing to wait for.
 */
export const handedOver = (control: Socket, handOff: HandOff) =>
  new Promise<boolean>((resolve) => {
    if (control.destroyed || control.readableEnded) return resolve(false);
    control.once('data', () => {
      control.destroy(); // nothing else comes: the process is the run's now
      resolve(true);
    });
    control.once('close', () => resolve(false)); // after the answer, a no-op
    control.on('error', () => {}); // EPIPE when it is gone: the close follows
    control.write(`${JSON.stringify(handOff)}\n`, (error) => {
      if (error) resolve(false); // its end closed meanwhile: no answer can come
    });
  });
