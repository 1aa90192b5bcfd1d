import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import {
  ConfiguredAirbyteCatalog,
  type AirbyteCatalog,
  type AirbyteRecord,
  type AirbyteConnectionStatus,
  type AirbyteMessage,
  type ConnectorSpecification,
} from './messages.ts';
import { invocationArrived } from './invocation-gate.ts';
import { readMessages, type UnparsedRecord } from './reader.ts';
import { recordDataJson } from './record-text.ts';
import { catalog, connectionStatus, createMessageWriter, log, spec, traceError } from './writer.ts';

type MaybePromise<T> = T | Promise<T>;

/** What a connector implements; `runConnector` does the command line, files, output and exit codes. */
export interface ConnectorHandlers<C> {
  /** Parses the `--config` file; a configuration it rejects fails `check` and aborts other commands. */
  config: z.ZodType<C>;
  spec(): MaybePromise<ConnectorSpecification>;
  /** May throw: the harness turns the error into CONNECTION_STATUS FAILED with its message. */
  check(config: C): MaybePromise<AirbyteConnectionStatus>;
  discover(config: C): MaybePromise<AirbyteCatalog>;
  /**
   * `state` is the content of the `--state` file: the `data` of the last STATE the destination echoed. A
   * string it yields is RECORD messages already serialized, one per line, each line ending with a newline; a
   * Uint8Array is such lines already encoded as UTF-8, left unchanged by the source until it is written.
   */
  read?(
    config: C,
    catalog: ConfiguredAirbyteCatalog,
    state: Record<string, unknown> | undefined,
  ): AsyncIterable<AirbyteMessage | string | Uint8Array>;
  /** Consumes the source's messages from stdin; yields STATE messages once what precedes them is durable. */
  write?(
    config: C,
    catalog: ConfiguredAirbyteCatalog,
    input: AsyncIterable<AirbyteMessage>,
  ): AsyncIterable<AirbyteMessage>;
  /**
   * Instead of `write`, for a destination that stores each record's data as JSON text: the same, but its
   * input's RECORDs come as RecordText, whose data is never parsed when the line holds it as JSON.stringify
   * prints it (as most sources print it).
   */
  writeText?(
    config: C,
    catalog: ConfiguredAirbyteCatalog,
    input: AsyncIterable<TextInput>,
  ): AsyncIterable<AirbyteMessage>;
}

/** A RECORD of a destination's input as `writeText` takes it: what a store of JSON text needs of it. */
export interface RecordText {
  type: 'RECORD';
  stream: string;
  emittedAt: number;
  /**
   * `JSON.stringify(record.data)`, byte for byte: taken as it is from the line the record came in when that
   * line holds exactly this text (see recordLine and canonicalDataText), else serialized from the parsed data.
   */
  dataJson: string;
}

/** The input of `writeText`: every message as `write` has it, but RECORDs as RecordText. */
export type TextInput = RecordText | Exclude<AirbyteMessage, { type: 'RECORD' }>;

/** A RECORD line read unparsed: its data's text is canonical printable ASCII, whose Latin-1 reading is UTF-8's. */
const unparsedText = ({ line, record }: UnparsedRecord): RecordText => ({
  type: 'RECORD',
  stream: record.stream,
  emittedAt: record.emittedAt,
  dataJson: line.toString('latin1', record.dataStart, record.dataEnd),
});

const parsedText = (record: AirbyteRecord, line: string | undefined): RecordText => ({
  type: 'RECORD',
  stream: record.stream,
  emittedAt: record.emitted_at,
  dataJson: recordDataJson(line, record.data),
});

export interface ConnectorIo {
  argv: string[];
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /**
   * Whether the input must end with Ferry's end-of-input line. A runner killed mid-sync also closes our
   * stdin, which looks like the end of the input; committing then would replace a table or file with a
   * partial one. Ferry's runner ends a complete input with the marker, so an input without it is cut short.
   */
  endMarkerExpected?: boolean;
}

/**
 * The line Ferry's runner writes after the last message of a complete input, and the environment variable
 * that tells a destination to expect it. Not an Airbyte message: other destinations skip it as noise.
 */
export const END_OF_INPUT_LINE = '{"type":"FERRY_END_OF_INPUT"}';
export const END_OF_INPUT_ENV = 'FERRY_END_OF_INPUT_EXPECTED';

export const USAGE =
  'usage: spec | check --config C | discover --config C | read --config C --catalog K [--state S] | write --config C --catalog K';

class UsageError extends Error {
  override name = 'UsageError';
}

async function readJson(file: string | undefined, flag: string): Promise<unknown> {
  if (file === undefined) throw new UsageError(`missing ${flag}\n${USAGE}`);
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${flag} ${file}: ${(err as Error).message}`, { cause: err });
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  throw new Error(`invalid ${what}: ${issues.join('; ')}`);
}

/**
 * A destination's input: the messages of its stdin, with RECORDs as RecordText when `asText`. Skips lines
 * the source printed that are not messages, noting them on stderr. When the runner promised an end-of-input
 * line, an input that ends without it was cut short: the destination fails instead of committing what it got
 * so far.
 */
function messagesOnly(io: ConnectorIo, asText: false): AsyncIterable<AirbyteMessage>;
function messagesOnly(io: ConnectorIo, asText: true): AsyncIterable<TextInput>;
async function* messagesOnly(io: ConnectorIo, asText: boolean): AsyncIterable<AirbyteMessage | TextInput> {
  let ended = false;
  const input = readMessages(io.stdin);
  // A chunk of stdin at a time: one await per chunk here, the destination's own per message.
  for await (const lines of asText ? input.chunks({ unparsedRecords: true }) : input.chunks()) {
    for (const line of lines) {
      if (line.kind === 'record') yield unparsedText(line);
      else if (line.kind === 'message') {
        const m = line.message;
        yield asText && m.type === 'RECORD' ? parsedText(m.record, line.text) : m;
      } else if (line.line === END_OF_INPUT_LINE) ended = true;
      else io.stderr.write(`ignored input line (${line.reason}): ${line.line.slice(0, 200)}\n`);
    }
  }
  if (io.endMarkerExpected && !ended) {
    throw new Error(
      "the input ended without the runner's end-of-input line (the runner stopped): not committing",
    );
  }
}

/** Runs one connector command and returns the exit code; testable without a process. */
export async function runConnectorCommand<C>(h: ConnectorHandlers<C>, io: ConnectorIo): Promise<number> {
  const out = createMessageWriter(io.stdout);
  const emit = async (m: AirbyteMessage | string | Uint8Array) => {
    const r =
      typeof m === 'string'
        ? out.writeRecords(m)
        : m instanceof Uint8Array
          ? out.writeRecordBytes(m)
          : out.write(m);
    if (r !== true) await r;
  };
  try {
    const { positionals, values } = parseArgs({
      args: io.argv,
      allowPositionals: true,
      options: { config: { type: 'string' }, catalog: { type: 'string' }, state: { type: 'string' } },
    });
    const command = positionals[0];
    const config = async () =>
      parseWith(h.config, await readJson(values.config, '--config'), 'configuration');
    const configured = async () =>
      parseWith(ConfiguredAirbyteCatalog, await readJson(values.catalog, '--catalog'), 'catalog');
    switch (command) {
      case 'spec':
        await emit(spec(await h.spec()));
        break;
      case 'check': {
        const status = await config()
          .then((c) => h.check(c))
          .catch((err: Error) => ({ status: 'FAILED' as const, message: err.message }));
        await emit(connectionStatus(status.status, status.message));
        break;
      }
      case 'discover':
        await emit(catalog(await h.discover(await config())));
        break;
      case 'read': {
        if (!h.read) throw new UsageError('this connector is not a source: read is not supported');
        const st = values.state === undefined ? undefined : await readJson(values.state, '--state');
        const stateData =
          st && typeof st === 'object' && !Array.isArray(st) ? (st as Record<string, unknown>) : undefined;
        for await (const m of h.read(await config(), await configured(), stateData)) await emit(m);
        break;
      }
      case 'write': {
        if (!h.write && !h.writeText)
          throw new UsageError('this connector is not a destination: write is not supported');
        const [c, k] = [await config(), await configured()];
        const echoed = h.writeText
          ? h.writeText(c, k, messagesOnly(io, true))
          : h.write!(c, k, messagesOnly(io, false));
        for await (const m of echoed) await emit(m);
        break;
      }
      default:
        throw new UsageError(command ? `unknown command ${command}\n${USAGE}` : USAGE);
    }
    await out.end();
    return 0;
  } catch (err) {
    const e = err as Error;
    // The LOG line lets a 2020 runner show the cause in the job log; the TRACE ERROR is today's protocol's
    // failure reason, which Ferry answers with; the stack goes to stderr for debugging.
    await emit(traceError(e.message, e.stack)).catch(() => {});
    await emit(log('FATAL', e.message)).catch(() => {});
    await out.end().catch(() => {});
    io.stderr.write(`${e.stack ?? e.message}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

/** The whole `main.ts` of a connector: runs the command in process.argv and exits with its code. */
export async function runConnector<C>(handlers: ConnectorHandlers<C>): Promise<never> {
  const arrived = invocationArrived();
  if (arrived) await arrived; // a process started ahead of its run: its command line is not there yet
  const code = await runConnectorCommand(handlers, {
    argv: process.argv.slice(2),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    endMarkerExpected: process.env[END_OF_INPUT_ENV] === '1',
  });
  // Exit explicitly: a driver's idle socket or an unread stdin must not keep a finished connector alive.
  process.exit(code);
}
