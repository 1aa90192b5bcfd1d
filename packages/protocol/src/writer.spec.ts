import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readMessages } from './reader.ts';
import {
  catalog,
  connectionStatus,
  createMessageWriter,
  log,
  record,
  spec,
  state,
  writeMessage,
} from './writer.ts';
import { AirbyteMessage } from './messages.ts';

/** A sink that accepts little at a time and acknowledges slowly, so backpressure really happens. */
function slowSink() {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    highWaterMark: 64,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      setImmediate(cb);
    },
  });
  return { sink, text: () => Buffer.concat(chunks).toString() };
}

describe('constructors', () => {
  it('build messages that pass the schema', () => {
    const all = [
      record('users', { id: 1 }, 42),
      state({ cursor: 1 }),
      log('WARN', 'careful'),
      connectionStatus('SUCCEEDED'),
      connectionStatus('FAILED', 'bad password'),
      spec({ connectionSpecification: { type: 'object' } }),
      catalog([{ name: 'users', json_schema: {} }]),
    ];
    for (const m of all) expect(AirbyteMessage.parse(m)).toEqual(m);
    expect(record('s', {}).type === 'RECORD' && record('s', {}).record.emitted_at).toBeGreaterThan(1.6e12);
    expect(connectionStatus('SUCCEEDED')).toEqual({
      type: 'CONNECTION_STATUS',
      connectionStatus: { status: 'SUCCEEDED' },
    });
  });
});

describe('writeMessage', () => {
  it('writes one line per message and waits for drain under backpressure', async () => {
    const { sink, text } = slowSink();
    let waited = 0;
    for (let i = 0; i < 100; i++) {
      const r = writeMessage(sink, record('s', { i }, 1));
      if (r !== true) {
        waited++;
        await r;
      }
    }
    await new Promise((r) => sink.end(r));
    expect(waited).toBeGreaterThan(0);
    const lines = text().trimEnd().split('\n');
    expect(lines).toHaveLength(100);
    expect(JSON.parse(lines[99]!)).toEqual(record('s', { i: 99 }, 1));
  });

  it('rejects the wait when the stream closes instead of draining', async () => {
    const sink = new Writable({ highWaterMark: 1, write: () => {} });
    const r = writeMessage(sink, log('INFO', 'x'));
    expect(r).not.toBe(true);
    sink.destroy();
    await expect(r).rejects.toThrow(/closed/);
  });
});

describe('createMessageWriter', () => {
  it('keeps order across batches and round-trips through readMessages', async () => {
    const pipe = new PassThrough();
    const w = createMessageWriter(pipe);
    const sent = [];
    for (let i = 0; i < 5000; i++)
      sent.push(i % 1000 === 999 ? state({ i }) : record('s', { i, pad: 'p'.repeat(i % 50) }, 1));
    const reading = (async () => {
      const got = [];
      for await (const l of readMessages(pipe)) got.push(l.kind === 'message' ? l.message : l);
      return got;
    })();
    for (const m of sent) {
      const r = w.write(m);
      if (r !== true) await r;
    }
    await w.end();
    pipe.end();
    expect(await reading).toEqual(sent);
  });

  it('flushes a STATE at once and a lone RECORD once the event loop is idle', async () => {
    const { sink, text } = slowSink();
    const w = createMessageWriter(sink);
    w.write(record('s', { a: 1 }, 1));
    expect(text()).toBe('');
    await new Promise((r) => setTimeout(r, 10));
    expect(text()).toContain('"a":1');
    w.write(record('s', { b: 1 }, 1));
    const r = w.write(state({ c: 1 }));
    if (r !== true) await r;
    await new Promise((res) => setImmediate(res));
    expect(text().trimEnd().split('\n')).toHaveLength(3);
  });

  it('writes lines taken as bytes in order with text, one view for lines that follow each other', async () => {
    const writes: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        writes.push(chunk);
        cb();
      },
    });
    const w = createMessageWriter(sink);
    const input = Buffer.from('a1\na2\na3\n');
    const elsewhere = Buffer.from('b1\n');
    w.writeRecordBytes(input.subarray(0, 3));
    w.writeRecordBytes(input.subarray(3, 6)); // follows a1: the same write
    w.writeRecords('t1\n');
    w.writeRecordBytes(input.subarray(6, 9)); // follows a2, but after text: a write of its own
    w.writeRecordBytes(elsewhere); // another buffer
    const r = w.write(state({ s: 1 }));
    if (r !== true) await r;
    await w.end();
    expect(writes.map(String).filter(Boolean)).toEqual([
      'a1\na2\n',
      't1\n',
      'a3\n',
      'b1\n',
      '{"type":"STATE","state":{"data":{"s":1}}}\n',
    ]);
    // No copy: the first write is a view of the input itself.
    expect(writes[0]!.buffer).toBe(input.buffer);
  });

  it('waits for a full stream when lines taken as bytes and text take turns', async () => {
    const { sink, text } = slowSink();
    const w = createMessageWriter(sink);
    let waited = 0;
    const expected: string[] = [];
    for (let i = 0; i < 200; i++) {
      const line = `${JSON.stringify(record('s', { i }, 1))}\n`;
      expected.push(line);
      const r = i % 2 ? w.writeRecords(line) : w.writeRecordBytes(Buffer.from(line));
      if (r !== true) {
        waited++;
        await r;
      }
    }
    await w.end();
    expect(waited).toBeGreaterThan(50);
    expect(text()).toBe(expected.join(''));
  });
});
