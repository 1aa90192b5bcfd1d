import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectorInvocation, ConnectorRun, ConnectorRuntime } from '@ferry/connector-runtime';
import type { SyncAttemptRequest } from '@ferry/contracts';
import { END_OF_INPUT_ENV, END_OF_INPUT_LINE, type ConfiguredAirbyteCatalog } from '@ferry/protocol';
import type { AttemptLog } from '../attempt-log.ts';
import { configuredCatalog, selectedStreams } from './catalog.ts';
import { forwardRecords, type Progress, type Tally } from './forward.ts';
import { finish, type SyncResult } from './result.ts';
import { discard, endOf, failureOf, followDestination, isRun, type SideEnd, startSide } from './sides.ts';
import { type SideWatch, watchSide } from './side-watch.ts';
import { type Namespacing, namespacing } from './namespacing.ts';
import { stateInput, stateLedger } from './state.ts';

export type { SyncResult } from './result.ts';

export interface SyncHooks {
  /** Stops both connectors. The failure reason is the abort reason when it is a string, else `cancelled`. */
  signal: AbortSignal;
  /** Called as records flow (every thousand records and at each STATE) and once at the end. */
  onProgress(progress: Progress): void;
  log: AttemptLog;
  /** Both connectors are stopped after this long, failing the attempt. Default: no limit. */
  timeoutMs?: number;
  /** What each side may print besides records and states before the attempt is stopped. Default 256 MiB. */
  logLimitBytes?: number;
  /** A connector sent a new configuration of its own (a CONTROL message): plain, for the caller to store. */
  onConnectorConfig?(side: 'source' | 'destination', config: Record<string, unknown>): void;
}

interface Plan {
  request: SyncAttemptRequest;
  catalog: ConfiguredAirbyteCatalog;
  runtime: ConnectorRuntime;
  hooks: SyncHooks;
  tally: Tally;
  /** Stop one side each: both on cancel, the other side when one fails. */
  stopSource: AbortController;
  stopDestination: AbortController;
  /** What each side says and prints besides its data. */
  watch: { source: SideWatch; destination: SideWatch };
  /** The connection's namespace rule, between the sides. */
  mapping: Namespacing;
}

/**
 * After the pipe to a destination broke, how long the destination gets to end on its own: it most likely
 * died, and its exit code names the cause better than the broken pipe does.
 */
const BROKEN_PIPE_GRACE_MS = 5000;

/**
 * The two stop switches of an attempt, one per side, both thrown by a cancel (`hooks.signal`) or when the
 * attempt's time is up; `reason()` then says which, and it overrides any failure the stop itself caused.
 */
function stopSwitches(hooks: SyncHooks, kind: string) {
  const stopSource = new AbortController();
  const stopDestination = new AbortController();
  let reason: string | null = null;
  const stopBoth = (why: string) => {
    reason ??= why;
    stopSource.abort();
    stopDestination.abort();
  };
  const cancel = () => stopBoth(typeof hooks.signal.reason === 'string' ? hooks.signal.reason : 'cancelled');
  hooks.signal.addEventListener('abort', cancel, { once: true });
  if (hooks.signal.aborted) cancel();
  const timer = hooks.timeoutMs
    ? setTimeout(() => stopBoth(`the ${kind} timed out after ${hooks.timeoutMs} ms`), hooks.timeoutMs)
    : undefined;
  const dispose = () => {
    clearTimeout(timer);
    hooks.signal.removeEventListener('abort', cancel);
  };
  return { stopSource, stopDestination, stopBoth, reason: () => reason, dispose };
}

/**
 * Runs one sync (or reset) attempt: the destination's `write` fed by the source's `read`. Both runs have
 * ended, process trees and containers included, when this resolves; it never rejects.
 */
export async function runSyncPipeline(
  runtime: ConnectorRuntime,
  request: SyncAttemptRequest,
  hooks: SyncHooks,
): Promise<SyncResult> {
  const tally: Tally = {
    recordsSynced: 0,
    bytesSynced: 0,
    sourceStates: stateLedger(request.state),
    destinationStates: stateLedger(request.state),
    statesSent: 0,
    statesEchoed: 0,
    estimates: new Map(),
  };
  const switches = stopSwitches(hooks, request.kind);
  try {
    const catalog = configuredCatalog(request.catalog, request.kind);
    const failure = !catalog.ok
      ? catalog.reason
      : request.kind === 'sync' && request.source === null
        ? 'a sync attempt needs a source'
        : await pipe({
            runtime,
            request,
            hooks,
            tally,
            ...switches,
            catalog: catalog.catalog,
            mapping: namespacing(request.namespacing, catalog.catalog),
            watch: {
              source: watchSide('source', hooks.log, switches.stopBoth, hooks.logLimitBytes),
              destination: watchSide('destination', hooks.log, switches.stopBoth, hooks.logLimitBytes),
            },
          });
    return finish(request, tally, switches.reason() ?? failure, hooks.log);
  } finally {
    switches.dispose();
  }
}

const invocationOf = (plan: Plan, side: 'source' | 'destination'): ConnectorInvocation | null => {
  const connector = side === 'source' ? plan.request.source : plan.request.destination;
  if (connector === null) return null;
  return {
    image: connector.image,
    command: side === 'source' ? 'read' : 'write',
    config: connector.config,
    catalog: side === 'source' ? plan.catalog : plan.mapping.catalog,
    ...(side === 'source' && plan.request.state ? { state: stateInput(plan.request.state) } : {}),
    // A destination of ours then commits only an input that ends with the marker (see endInput).
    ...(side === 'destination' ? { env: { [END_OF_INPUT_ENV]: '1' } } : {}),
  };
};

/**
 * Starts the destination and follows it to its end. A destination that exits before its input ended cannot
 * have written it all: that stops the source at once and fails the attempt.
 */
async function startDestination(plan: Plan, invocation: ConnectorInvocation) {
  const run = await startSide(
    plan.runtime,
    'destination',
    invocation,
    plan.hooks.log,
    plan.watch.destination,
    plan.stopDestination.signal,
  );
  if (!isRun(run)) return { failure: failureOf('destination', run) };
  let inputEnded = false;
  const said = plan.watch.destination.said;
  const onConfig = (config: Record<string, unknown>) => plan.hooks.onConnectorConfig?.('destination', config);
  const ended = followDestination(
    run,
    plan.hooks.log,
    plan.watch.destination,
    plan.tally,
    plan.mapping,
    onConfig,
  ).then((end) => {
    if (inputEnded) return failureOf('destination', end, said);
    plan.stopSource.abort();
    return failureOf('destination', end, said) ?? 'destination exited before the end of its input';
  });
  // The marker, then the end of stdin, tell the destination its input is complete, so it commits. A
  // runner that dies closes stdin without the marker, and the destination fails instead.
  const endInput = () => {
    inputEnded = true;
    run.stdin.end(`${END_OF_INPUT_LINE}\n`);
  };
  return { run, ended, endInput };
}

/**
 * Runs both sides to their end and names the first cause of failure, or null. The two start together: a
 * connector's start (a process, a container) is most of what a sync of few records costs, and neither
 * needs the other to start. A source whose destination could not start is stopped before it sends anything.
 */
async function pipe(plan: Plan): Promise<string | null> {
  const destinationStarting = startDestination(plan, invocationOf(plan, 'destination')!);
  const source = invocationOf(plan, 'source');
  const sourceStarting = source ? startSource(plan, source) : null;
  const destination = await destinationStarting;
  if (!destination.run) {
    plan.stopSource.abort();
    if (sourceStarting) await discard(await sourceStarting);
    return destination.failure;
  }
  const fed = sourceStarting
    ? await feed(plan, await sourceStarting, destination.run)
    : { end: null, broken: null };
  const sourceFailure = failureOf('source', fed.end, plan.watch.source.said);
  if (sourceFailure === null && fed.broken === null && !plan.stopSource.signal.aborted)
    destination.endInput();
  else {
    if (fed.broken !== null)
      await Promise.race([destination.ended, sleep(BROKEN_PIPE_GRACE_MS, undefined, { ref: false })]);
    else if (sourceFailure !== null && plan.tally.sourceStates.perStream)
      await Promise.race([destination.ended, echoedAll(plan.tally, plan.stopDestination.signal)]);
    plan.stopDestination.abort();
  }
  const destinationFailure = await destination.ended;
  // A side Ferry stopped reports no failure of its own (failureOf), so the first real cause is named here.
  return sourceFailure ?? destinationFailure ?? fed.broken;
}

/**
 * Resolves once the destination has echoed every state it was sent, or after BROKEN_PIPE_GRACE_MS. A
 * source that failed still leaves per-stream states its destination may commit: the streams that
 * finished keep their progress, so the destination gets the time to echo them before it is stopped.
 */
async function echoedAll(tally: Tally, stopped: AbortSignal): Promise<void> {
  const deadline = Date.now() + BROKEN_PIPE_GRACE_MS;
  while (tally.statesEchoed < tally.statesSent && Date.now() < deadline && !stopped.aborted)
    await sleep(20, undefined, { ref: false });
}

const startSource = (plan: Plan, invocation: ConnectorInvocation) =>
  startSide(plan.runtime, 'source', invocation, plan.hooks.log, plan.watch.source, plan.stopSource.signal);

/** Runs the source into the destination's stdin; `broken` says why the pipe broke, if it did. */
async function feed(
  plan: Plan,
  source: ConnectorRun | SideEnd,
  destination: ConnectorRun,
): Promise<{ end: SideEnd; broken: string | null }> {
  if (!isRun(source)) return { end: source, broken: null };
  const { hooks, stopSource } = plan;
  const options = {
    streams: selectedStreams(plan.catalog),
    log: hooks.log,
    watch: plan.watch.source,
    mapping: plan.mapping,
    onConnectorConfig: (config: Record<string, unknown>) => hooks.onConnectorConfig?.('source', config),
    onProgress: hooks.onProgress,
    stop: stopSource.signal,
  };
  try {
    await forwardRecords(source, destination.stdin, plan.tally, options);
    return { end: await endOf(source), broken: null };
  } catch (error) {
    stopSource.abort();
    return {
      end: await endOf(source),
      broken: `the pipe from source to destination broke: ${(error as Error).message}`,
    };
  }
}
