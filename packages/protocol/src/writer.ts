import type {
  AirbyteCatalog,
  AirbyteMessage,
  CatalogMessage,
  ConnectionStatusMessage,
  LogMessage,
  RecordMessage,
  SpecMessage,
  StateMessage,
  TraceMessage,
  AirbyteStream,
  ConnectionStatusValue,
  ConnectorSpecification,
  LogLevel,
} from './messages.ts';

/** Resolves once `out` can take more data; rejects if it fails or closes first. */
export function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('output closed before it drained'));
    };
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

/**
 * Writes one message as a line. Returns `true` when the stream accepted it without backpressure, otherwise a
 * promise that resolves on 'drain': `const r = writeMessage(out, m); if (r !== true) await r;`.
 */
export function writeMessage(out: NodeJS.WritableStream, m: AirbyteMessage): true | Promise<void> {
  return out.write(JSON.stringify(m) + '\n') ? true : drained(out);
}

/** Batch size at which buffered output is handed to the stream. */
const FLUSH_BYTES = 64 * 1024;

/**
 * Buffers small messages into larger writes, which is what lets a connector emit hundreds of thousands of
 * records per second: one write per record costs a syscall each on a synchronous stdout pipe. Messages are
 * written in order; anything that is not a RECORD (a STATE acknowledgement, a LOG) flushes at once, and an
 * idle event loop flushes whatever is left, so nothing waits long in the buffer.
 */
export function createMessageWriter(out: NodeJS.WritableStream) {
  let buffer = '';
  // Whole lines taken as bytes, after `buffer` in order: consecutive lines of one input buffer, the first
  // line's view and the length of all of them (one view is made for the write, not one per line).
  let run: Uint8Array | undefined;
  let runLength = 0;
  let scheduled: NodeJS.Immediate | undefined;

  /** Hands the bytes held to the stream; returns what its write returned (false: it is full). */
  const writeRun = () => {
    const first = run!;
    run = undefined;
    return out.write(
      runLength === first.length ? first : Buffer.from(first.buffer, first.byteOffset, runLength),
    );
  };
  const writeText = () => {
    const chunk = buffer;
    buffer = '';
    return out.write(chunk);
  };

  const flush = (): true | Promise<void> => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (buffer === '' && run === undefined) return true;
    const accepted = buffer === '' ? writeRun() : writeText();
    return accepted ? true : drained(out);
  };

  /** Records wait for a full batch or an idle turn of the event loop. */
  const buffered = (): true | Promise<void> => {
    if (buffer.length >= FLUSH_BYTES || (run !== undefined && runLength >= FLUSH_BYTES)) return flush();
    // A failure here surfaces again on the next write or on end(), where someone awaits it.
    scheduled ??= setImmediate(() => {
      const r = flush();
      if (r !== true) r.catch(() => {});
    });
    return true;
  };

  /** Text goes after the bytes held: those are handed to the stream first (false: it is full). */
  const addText = (text: string) => {
    const accepted = run === undefined || writeRun();
    buffer += text;
    return accepted;
  };
  /** What a write returns when the stream became full on the way: then wait for it as for a flush. */
  const settle = (accepted: boolean, r: true | Promise<void>) => (accepted || r !== true ? r : drained(out));

  return {
    write(m: AirbyteMessage): true | Promise<void> {
      const accepted = addText(JSON.stringify(m) + '\n');
      return settle(accepted, m.type === 'RECORD' ? buffered() : flush());
    },
    /**
     * Writes RECORD messages already serialized: one or more lines, each ending with a newline (a line as
     * a source printed it, or as a source builds it faster than JSON.stringify would).
     */
    writeRecords(lines: string): true | Promise<void> {
      return settle(addText(lines), buffered());
    },
    /**
     * Writes RECORD lines as the UTF-8 bytes they came in (whole lines, each ending with a newline), without
     * copying them: lines that follow the previous ones in the same buffer extend the same view, so a chunk's
     * run of lines is one write. The bytes must stay as they are until written (a chunk read from a stream
     * does).
     */
    writeRecordBytes(lines: Uint8Array): true | Promise<void> {
      let accepted = buffer === '' || writeText();
      if (run !== undefined && run.buffer === lines.buffer && run.byteOffset + runLength === lines.byteOffset)
        runLength += lines.length;
      else {
        if (run !== undefined) accepted = writeRun() && accepted;
        run = lines;
        runLength = lines.length;
      }
      return settle(accepted, buffered());
    },
    flush,
    /** Flushes and waits until the stream has handed everything to the OS. */
    async end(): Promise<void> {
      const r = flush();
      if (r !== true) await r;
      await new Promise<void>((resolve, reject) => out.write('', (err) => (err ? reject(err) : resolve())));
    },
  };
}

export type MessageWriter = ReturnType<typeof createMessageWriter>;

export function record(stream: string, data: Record<string, unknown>, emittedAt = Date.now()): RecordMessage {
  return { type: 'RECORD', record: { stream, data, emitted_at: emittedAt } };
}

export function state(data: Record<string, unknown>): StateMessage {
  return { type: 'STATE', state: { data } };
}

export function log(level: LogLevel, message: string): LogMessage {
  return { type: 'LOG', log: { level, message } };
}

export function connectionStatus(status: ConnectionStatusValue, message?: string): ConnectionStatusMessage {
  return {
    type: 'CONNECTION_STATUS',
    connectionStatus: message === undefined ? { status } : { status, message },
  };
}

export function spec(specification: ConnectorSpecification): SpecMessage {
  return { type: 'SPEC', spec: specification };
}

export function catalog(streams: AirbyteStream[] | AirbyteCatalog): CatalogMessage {
  return { type: 'CATALOG', catalog: Array.isArray(streams) ? { streams } : streams };
}

/** A TRACE ERROR (today's protocol): the message is what Ferry shows as the reason of the failure. */
export function traceError(message: string, stackTrace?: string, emittedAt = Date.now()): TraceMessage {
  const error = stackTrace === undefined ? { message } : { message, stack_trace: stackTrace };
  return {
    type: 'TRACE',
    trace: { type: 'ERROR', emitted_at: emittedAt, error: { ...error, failure_type: 'system_error' } },
  };
}
