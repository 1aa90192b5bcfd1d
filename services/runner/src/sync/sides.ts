import type {
  ConnectorExit,
  ConnectorInvocation,
  ConnectorRun,
  ConnectorRuntime,
} from '@ferry/connector-runtime';
import type { AttemptLog } from '../attempt-log.ts';
import { type Diagnosis, explained } from '../diagnosis.ts';
import type { Tally } from './forward.ts';
import type { Side } from './side-log.ts';
import type { Namespacing } from './namespacing.ts';
import type { SideWatch } from './side-watch.ts';

/** How a connector's run ended: its exit, or why the runtime could not start or follow it. */
export type SideEnd = { exit: ConnectorExit } | { error: string };

const describeError = (error: unknown) =>
  `${(error as { code?: string }).code ?? 'runtime'}: ${(error as Error).message}`;

/** Starts one side; a start the runtime refuses (image missing, no engine) is a SideEnd, not a throw. */
export const startSide = async (
  runtime: ConnectorRuntime,
  side: Side,
  invocation: ConnectorInvocation,
  log: AttemptLog,
  watch: SideWatch,
  signal: AbortSignal,
): Promise<ConnectorRun | SideEnd> => {
  log.write('ferry', `starting the ${side}: ${invocation.command} of ${invocation.image}`);
  try {
    return await runtime.run({ ...invocation, onLog: watch.stderr }, signal);
  } catch (error) {
    return { error: describeError(error) };
  }
};

export const isRun = (started: ConnectorRun | SideEnd): started is ConnectorRun => 'messages' in started;

/** Waits for a side's exit; the runtime failing while it ran (Docker gone) is an end like any other. */
export const endOf = (run: ConnectorRun): Promise<SideEnd> =>
  run.exit.then(
    (exit) => ({ exit }),
    (error: unknown) => ({ error: describeError(error) }),
  );

/** Waits for the end of a side already told to stop, its output dropped (its run ends once that is read). */
export const discard = async (started: ConnectorRun | SideEnd): Promise<void> => {
  if (!isRun(started)) return;
  for await (const line of started.messages) void line;
  await endOf(started);
};

/**
 * Reads the destination's output to its end: the last STATE it prints is the state it has committed
 * (destinations echo a STATE only once the records before it are durable); the rest goes to the log.
 */
export const followDestination = async (
  run: ConnectorRun,
  log: AttemptLog,
  watch: SideWatch,
  tally: Tally,
  mapping: Namespacing,
  onConnectorConfig?: (config: Record<string, unknown>) => void,
): Promise<SideEnd> => {
  try {
    for await (const line of run.messages) {
      if (line.kind === 'message' && line.message.type === 'STATE') {
        tally.destinationStates.add(mapping.stateFromDestination(line.message.state));
        tally.statesEchoed++;
      } else {
        if (line.kind === 'message' && line.message.type === 'CONTROL')
          onConnectorConfig?.(line.message.control.connectorConfig.config);
        watch.other(line);
      }
    }
  } catch (error) {
    log.write('ferry', `reading the destination's output failed: ${(error as Error).message}`);
  }
  return endOf(run);
};

/**
 * Why a side failed, or null. A side Ferry stopped (`exit.reason` set) is not the cause: it was stopped
 * because of the other side, a broken pipe, a cancel or the attempt's timeout, each named on its own.
 * An exit quotes what the connector said about it (its TRACE error, last error log or stderr).
 */
export const failureOf = (side: Side, end: SideEnd | null, said?: Diagnosis): string | null => {
  if (end === null) return null;
  if ('error' in end) return `${side} failed: ${end.error}`;
  const { code, signal, reason } = end.exit;
  if (reason || code === 0) return null;
  const failure = `${side} exited with ${code === null ? `signal ${signal}` : `code ${code}`}`;
  return said ? explained(failure, said) : failure;
};
