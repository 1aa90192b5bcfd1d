// The hand-off of a run to a connector process started ahead of it (ADR 0027), over the pipe on the
// process's fd 3; the runtime's side is in warm-connectors.ts, the waiting process's in warm-connector-main.ts.

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
