import type { Writable } from 'node:stream';
import type { ParsedLines } from '@ferry/protocol';

export type ConnectorCommand = 'spec' | 'check' | 'discover' | 'read' | 'write';

/** One connector command to run: the `docker run` of Airbyte's protocol. */
export interface ConnectorInvocation {
  /** `repository:tag`, the definition's image. */
  image: string;
  command: ConnectorCommand;
  /** Written as JSON files in a private directory (0600) and passed by path; removed after the run. */
  config?: unknown;
  catalog?: unknown;
  state?: unknown;
  /** The run is stopped (SIGTERM, then SIGKILL) after this long; `exit.reason` is then `timeout`. */
  timeoutMs?: number;
  /** Added to the connector's environment. */
  env?: Record<string, string>;
  /** Every line the connector prints on stderr, as it comes, without its newline. */
  onLog?: (line: string) => void;
  /** Longest stdout line kept; longer ones become noise (see readMessages). */
  maxLineBytes?: number;
}

export interface ConnectorExit {
  /** The exit code, or null when the connector was ended by a signal. */
  code: number | null;
  signal: string | null;
  /** Set when Ferry ended the run. */
  reason?: 'timeout' | 'cancelled';
}

/**
 * A started connector. Nothing is buffered beyond the pipes: stdout is parsed as it is read, so a consumer
 * that stops reading `messages` stops the connector (backpressure), and `stdin` accepts data only as fast as
 * the connector reads it. Consume `messages` to the end, then await `exit`.
 */
export interface ConnectorRun {
  /**
   * Stdout, line by line or a chunk's lines at a time: messages and noise (never fatal). Ends when the
   * connector closes stdout.
   */
  messages: ParsedLines;
  /** The connector's stdin (for `write`); end it to signal end of input. Ended already for other commands. */
  stdin: Writable;
  /**
   * Resolves when the connector has exited, every stderr line has reached `onLog`, its whole process tree
   * (or container) is gone and its files are removed. Rejects only when the runtime itself fails during the
   * run (the Docker engine goes away: a ConnectorRuntimeError `runtime.docker_unavailable`).
   */
  exit: Promise<ConnectorExit>;
}

/** Runs connector commands: as local processes, Docker containers, or anything else with these semantics. */
export interface ConnectorRuntime {
  /**
   * Starts a run. Rejects with a ConnectorRuntimeError when it cannot start (image missing, no engine), and
   * with the signal's reason when `signal` is already aborted. Aborting `signal` later cancels the run.
   */
  run(invocation: ConnectorInvocation, signal?: AbortSignal): Promise<ConnectorRun>;
  /** What runs connectors, for logs and the debug endpoint. */
  describe(): string;
  /** Whether this runtime can run anything right now (the engine answers). */
  available(): Promise<boolean>;
  /**
   * Ends what the runtime keeps between runs (the process runtime's connectors started ahead, ADR 0027)
   * and resolves once it is gone. Runs in progress are not touched: their callers stop them.
   */
  close?(): Promise<void>;
}
