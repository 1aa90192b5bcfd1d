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
import { readMessages } from './reader.ts';
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
   * string it yields is RECORD messages already serialized, one per line, each line ending with a newline.
   */
  read?(
    config: C,
    catalog: ConfiguredAirbyteCatalog,
    state: Record<string, unknown> | undefined,
  ): AsyncIterable<AirbyteMessage | string>;
  /** Consumes the source's messages from stdin; yields STATE messages once what precedes them is durable. */
  write?(
    config: C,
    catalog: ConfiguredAirbyteCatalog,
    input: AsyncIterable<AirbyteMessage>,
    received: ReceivedRecords,
  ): AsyncIterable<AirbyteMessage>;
}

/** What a destination can have of a record of its input besides the parsed message. */
export interface ReceivedRecords {
  /**
   * `JSON.stringify(record.data)`. For the record the input yielded last, it is taken as it is from the line
   * the record came in when that line holds exactly this text (see canonicalDataText): a destination that
   * stores `data` as JSON as it receives each record skips serializing it. Any other record's is serialized:
   * the same text, at the cost of a `JSON.stringify`.
   */
  dataJson(record: AirbyteRecord): string;
}

/** The record the input yielded last and the line it came in (see ReceivedRecords). */
interface LastRecord {
  record?: AirbyteRecord;
  line?: string;
}

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
 * Skips lines the source printed that are not messages, noting them on stderr. When the runner promised an
 * end-of-input line, an input that ends without it was cut short: the destination fails instead of
 * committing what it got so far.
 */
async function* messagesOnly(io: ConnectorIo, last: LastRecord) {
  let ended = false;
  // A chunk of stdin at a time: one await per chunk here, the destination's own per message.
  for await (const lines of readMessages(io.stdin).chunks()) {
    for (const line of lines) {
      if (line.kind === 'message') {
        // One slot, not a map of every record held: a WeakMap entry per record cost the destination about a
        // microsecond of its own and of the garbage collector's time per record.
        if (line.message.type === 'RECORD') {
          last.record = line.message.record;
          last.line = line.text;
        }
        yield line.message;
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
  const emit = async (m: AirbyteMessage | string) => {
    const r = typeof m === 'string' ? out.writeRecords(m) : out.write(m);
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
        if (!h.write) throw new UsageError('this connector is not a destination: write is not supported');
        const last: LastRecord = {};
        const received = {
          dataJson: (r: AirbyteRecord) => recordDataJson(r === last.record ? last.line : undefined, r.data),
        };
        const input = messagesOnly(io, last);
        for await (const m of h.write(await config(), await configured(), input, received)) await emit(m);
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
