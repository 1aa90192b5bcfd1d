import type { ConnectorRun } from '@ferry/connector-runtime';
import {
  type AirbyteMessage,
  createMessageWriter,
  type ParsedLine,
  canonicalDataText,
  type UnparsedRecord,
} from '@ferry/protocol';
import type { AttemptLog } from '../attempt-log.ts';
import type { Namespacing } from './namespacing.ts';
import type { SideWatch } from './side-watch.ts';
import type { StateLedger } from './state.ts';

/** What an attempt has moved so far, as Airbyte counts it. */
export interface Progress {
  recordsSynced: number;
  bytesSynced: number;
  /** What the source expects to send in all, from its TRACE estimates (today's protocol). */
  estimatedRecords?: number;
}

/** Everything the pipeline learns while data flows; mutated in place so a failure keeps what was seen. */
export interface Tally extends Progress {
  /** The states the source emitted, and those the destination echoed (committed), per stream. */
  sourceStates: StateLedger;
  destinationStates: StateLedger;
  /** STATE messages sent to the destination, and echoed back by it. */
  statesSent: number;
  statesEchoed: number;
  /** The source's row estimates: per stream, and for the whole sync under the key `''`. */
  estimates: Map<string, number>;
}

export const progressOf = (t: Progress & { estimates?: Map<string, number> }): Progress => {
  const estimated = estimatedRecords(t.estimates);
  return {
    recordsSynced: t.recordsSynced,
    bytesSynced: t.bytesSynced,
    ...(estimated === undefined ? {} : { estimatedRecords: estimated }),
  };
};

/** A SYNC estimate, else the sum of the streams' estimates; undefined when the source gave none. */
const estimatedRecords = (estimates: Map<string, number> | undefined) => {
  if (!estimates || estimates.size === 0) return undefined;
  const whole = estimates.get('');
  if (whole !== undefined) return whole;
  let sum = 0;
  for (const n of estimates.values()) sum += n;
  return sum;
};

/** Progress is reported after this many records (and at every STATE): often enough for a live view. */
const PROGRESS_EVERY = 1000;

export interface ForwardOptions {
  streams: ReadonlySet<string>;
  log: AttemptLog;
  /** The source's log lines, errors and output limit. */
  watch: SideWatch;
  /** The connection's namespace rule: how the destination names what the source sends. */
  mapping: Namespacing;
  /** A CONTROL message's new configuration. */
  onConnectorConfig?(config: Record<string, unknown>): void;
  onProgress(progress: Progress): void;
  /** Aborted when the pipeline gives up: a write waiting for the destination must not wait forever. */
  stop: AbortSignal;
}

const rejectOnAbort = (signal: AbortSignal) => {
  const halted = new Promise<never>((_, reject) => {
    const fail = () => reject(new Error('the pipe was stopped'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
  halted.catch(() => {}); // only ever awaited through Promise.race
  return halted;
};

/** Writes messages to the destination's stdin in batches, waiting whenever the pipe is full. */
const destinationInput = (stdin: ConnectorRun['stdin'], stop: AbortSignal) => {
  const out = createMessageWriter(stdin);
  const halted = rejectOnAbort(stop);
  // Nothing to wait for while the pipe takes the writes: the forward loop then goes on without an await.
  const settled = (written: true | Promise<void>): Promise<void> | undefined => {
    if (written === true) return undefined;
    // A destroyed stdin never drains: waiting would hang the attempt.
    if (stdin.destroyed) return Promise.reject(new Error('the destination stopped reading its input'));
    return Promise.race([written, halted]);
  };
  return {
    send: (m: AirbyteMessage) => settled(out.write(m)),
    /** A RECORD line as the source printed it: the destination parses the same message from it. */
    sendRecordLine: (line: string) => settled(out.writeRecords(`${line}\n`)),
    /** The same, as the bytes it came in (its newline included). */
    sendRecordBytes: (line: Buffer) => settled(out.writeRecordBytes(line)),
    flush: () => Promise.race([out.end(), halted]),
  };
};

/**
 * Pipes the source's RECORD and STATE messages into the destination's stdin, in order, as fast as the
 * destination reads them: a full pipe suspends reading the source, which suspends the source itself. Records
 * of streams outside the catalog are dropped (one log line per stream). Rejects when the pipe breaks. Does
 * not end stdin: only the source's exit code says whether its output was complete.
 */
export async function forwardRecords(
  source: ConnectorRun,
  stdin: ConnectorRun['stdin'],
  tally: Tally,
  o: ForwardOptions,
): Promise<void> {
  const input = destinationInput(stdin, o.stop);
  const dropped = new Set<string>();
  /** Whether a record's stream is selected; another stream's records are dropped. */
  const selected = (stream: string) => {
    if (o.streams.has(stream)) return true;
    dropOnce(dropped, stream, o.log);
    return false;
  };
  const progressed = (sent: Promise<void> | undefined) =>
    tally.recordsSynced % PROGRESS_EVERY === 0 ? after(sent, report) : sent;
  /** Forwards one line; returns a promise only when the destination's pipe is full. */
  const forward = (line: ParsedLine | UnparsedRecord): Promise<void> | undefined => {
    if (line.kind === 'record') {
      // Its data is canonical ASCII text (one byte a character) and emitted_at a finite integer: the line
      // goes on as it came unless a namespace rule changes it, and then as the message it parses to.
      const r = line.record;
      if (!selected(r.stream)) return undefined;
      tally.recordsSynced++;
      tally.bytesSynced += r.dataEnd - r.dataStart;
      return progressed(
        o.mapping.unchanged
          ? input.sendRecordBytes(line.line)
          : input.send(o.mapping.toDestination(JSON.parse(line.line.toString('latin1')) as AirbyteMessage)),
      );
    }
    if (line.kind === 'noise') {
      o.watch.other(line);
      return undefined;
    }
    const m = line.message;
    if (m.type === 'TRACE' && m.trace.estimate && typeof m.trace.estimate.row_estimate === 'number') {
      const e = m.trace.estimate;
      // Only selected streams count toward the attempt's estimate.
      if (e.type === 'SYNC') tally.estimates.set('', e.row_estimate!);
      else if (o.streams.has(e.name)) tally.estimates.set(e.name, e.row_estimate!);
    }
    if (m.type === 'CONTROL') o.onConnectorConfig?.(m.control.connectorConfig.config);
    if (m.type === 'RECORD') {
      if (!selected(m.record.stream)) return undefined;
      tally.recordsSynced++;
      const text = line.text;
      const data = text === undefined ? undefined : canonicalDataText(text, m.record.data);
      tally.bytesSynced += Buffer.byteLength(data ?? JSON.stringify(m.record.data), 'utf8');
      // The line goes on as printed when the destination parses from it what it would from the message
      // serialized again: the same data text (so no -0 or 1e999 in it), a finite emitted_at, no namespace
      // rule to apply.
      const sent =
        data !== undefined && o.mapping.unchanged && Number.isFinite(m.record.emitted_at)
          ? input.sendRecordLine(text!)
          : input.send(o.mapping.toDestination(m));
      return progressed(sent);
    }
    if (m.type === 'STATE') {
      tally.sourceStates.add(m.state);
      return after(input.send(o.mapping.toDestination(m)), stateSent);
    }
    o.watch.other(line);
    return undefined;
  };
  const report = () => o.onProgress(progressOf(tally));
  const stateSent = () => {
    tally.statesSent++;
    report();
  };
  // A chunk of the source's output at a time, each line forwarded without an await unless the pipe is full.
  for await (const lines of source.messages.chunks({ unparsedRecords: true }))
    for (const line of lines) {
      const full = forward(line);
      if (full) await full;
    }
  await input.flush();
  o.onProgress(progressOf(tally));
}

/** Runs `then` once `sent` is written: at once when the pipe took it, else when the pipe has drained. */
const after = (sent: Promise<void> | undefined, then: () => void): Promise<void> | undefined => {
  if (sent) return sent.then(then);
  then();
  return undefined;
};

const dropOnce = (dropped: Set<string>, stream: string, log: AttemptLog) => {
  if (dropped.has(stream)) return;
  dropped.add(stream);
  log.write('ferry', `dropping the records of stream ${stream}: it is not in the configured catalog`);
};
