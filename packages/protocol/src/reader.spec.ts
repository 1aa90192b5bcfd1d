import { describe, expect, it } from 'vitest';
import { type ParsedLine, readMessages, type UnparsedRecord } from './reader.ts';

const rec = (n: number) =>
  JSON.stringify({ type: 'RECORD', record: { stream: 's', data: { n }, emitted_at: 1 } });

async function collect(chunks: (string | Buffer)[], maxLineBytes?: number): Promise<ParsedLine[]> {
  async function* gen() {
    yield* chunks;
  }
  const out: ParsedLine[] = [];
  for await (const l of readMessages(gen(), { maxLineBytes })) out.push(l);
  return out;
}

const kinds = (lines: ParsedLine[]) => lines.map((l) => l.kind);

describe('readMessages', () => {
  it('parses messages and reports their size in bytes', async () => {
    const lines = await collect([`${rec(1)}\n${rec(2)}\n`]);
    expect(lines).toEqual([
      { kind: 'message', message: JSON.parse(rec(1)), bytes: rec(1).length, text: rec(1) },
      { kind: 'message', message: JSON.parse(rec(2)), bytes: rec(2).length, text: rec(2) },
    ]);
  });

  it('turns garbage into noise and keeps going', async () => {
    const lines = await collect([`Starting...\n{not json\n[1,2]\n${rec(1)}\n\n`]);
    expect(kinds(lines)).toEqual(['noise', 'noise', 'noise', 'message']);
    expect(lines[0]).toEqual({ kind: 'noise', line: 'Starting...', reason: 'not JSON' });
    expect(lines[1]).toMatchObject({ reason: expect.stringMatching(/^not JSON: /) });
  });

  it('explains JSON that is not an AirbyteMessage', async () => {
    const bad = JSON.stringify({ type: 'RECORD', record: { stream: 's', data: {}, emitted_at: 'soon' } });
    const [line] = await collect([`${bad}\n{"type":"PARTY"}\n`]);
    expect(line).toMatchObject({ kind: 'noise', line: bad });
    expect(line?.kind === 'noise' && line.reason).toMatch(/not an AirbyteMessage \(record\.emitted_at: /);
  });

  it('accepts every message type and keeps unknown fields', async () => {
    const msgs = [
      { type: 'STATE', state: { data: { cursor: 3 } } },
      { type: 'LOG', log: { level: 'INFO', message: 'hi' } },
      { type: 'SPEC', spec: { connectionSpecification: {}, supportsDBT: false } },
      { type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: 'no' } },
      { type: 'CATALOG', catalog: { streams: [{ name: 'a', json_schema: {} }] } },
      { type: 'RECORD', record: { stream: 's', data: {}, emitted_at: 1, namespace: 'n' }, extra: 1 },
    ];
    const lines = await collect([msgs.map((m) => JSON.stringify(m)).join('\n')]);
    expect(lines.map((l) => l.kind === 'message' && l.message)).toEqual(msgs);
  });

  it('parses a last line without a final newline, and tolerates CRLF', async () => {
    const lines = await collect([`${rec(1)}\r\n${rec(2)}`]);
    expect(kinds(lines)).toEqual(['message', 'message']);
  });

  it('joins lines and multibyte characters split across chunks', async () => {
    const text = `${JSON.stringify({ type: 'LOG', log: { level: 'INFO', message: 'héllo ✓ 𝄞' } })}\n${rec(7)}\n`;
    const bytes = Buffer.from(text);
    // Every split point, including inside the 2-, 3- and 4-byte characters.
    for (let i = 1; i < bytes.length; i++) {
      const lines = await collect([bytes.subarray(0, i), bytes.subarray(i)]);
      expect(lines.map((l) => l.kind === 'message' && l.message)).toEqual(
        text
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l)),
      );
    }
    const oneByteAtATime = await collect([...bytes].map((b) => Buffer.from([b])));
    expect(kinds(oneByteAtATime)).toEqual(['message', 'message']);
  });

  it('decodes invalid UTF-8 with replacement: valid JSON passes, the rest is noise saying so', async () => {
    const inString = Buffer.concat([
      Buffer.from('{"type":"LOG","log":{"level":"INFO","message":"a'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}\n'),
    ]);
    const broken = Buffer.concat([Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' nope\n')]);
    const [ok, noise] = await collect([inString, broken]);
    expect(ok).toMatchObject({ kind: 'message', message: { log: { message: 'a\ufffd\ufffd' } } });
    expect(noise).toMatchObject({ kind: 'noise', reason: 'invalid UTF-8; not JSON' });
  });

  it('drops an over-long line with a clear reason and bounded memory, then carries on', async () => {
    const long = `{"type":"LOG","log":{"level":"INFO","message":"${'x'.repeat(5000)}"}}`;
    const chunks = [
      rec(1) + '\n' + long.slice(0, 300),
      long.slice(300, 4000),
      long.slice(4000) + '\n' + rec(2) + '\n',
    ];
    const lines = await collect(chunks, 1024);
    expect(kinds(lines)).toEqual(['message', 'noise', 'message']);
    expect(lines[1]).toMatchObject({ reason: 'line longer than 1024 bytes' });
    expect(lines[1]?.kind === 'noise' && lines[1].line.length).toBeLessThanOrEqual(256);
  });

  it('drops an over-long line found within a single chunk, and one that never ends', async () => {
    const lines = await collect([`${'y'.repeat(50)}\n${rec(1)}\n${'z'.repeat(60)}`], 40);
    expect(lines.map((l) => (l.kind === 'noise' ? l.reason : 'message'))).toEqual([
      'line longer than 40 bytes',
      'line longer than 40 bytes', // rec(1) is longer than 40 bytes too
      'line longer than 40 bytes',
    ]);
  });

  it('reads a Node stream of strings', async () => {
    const { Readable } = await import('node:stream');
    const out: ParsedLine[] = [];
    for await (const l of readMessages(Readable.from([`${rec(1)}\n`, `${rec(2)}`]))) out.push(l);
    expect(kinds(out)).toEqual(['message', 'message']);
  });

  it('yields, a chunk at a time, the lines each chunk ends: the same lines as line by line', async () => {
    async function* gen() {
      yield `${rec(1)}\nnoise\n${rec(2).slice(0, 10)}`; // ends two lines, starts a third
      yield rec(2).slice(10); // ends none
      yield `\n${rec(3)}`; // ends the third; the fourth has no newline
    }
    const batches: ParsedLine[][] = [];
    for await (const lines of readMessages(gen()).chunks()) batches.push(lines);
    expect(batches.map(kinds)).toEqual([['message', 'noise'], ['message'], ['message']]);
    expect(batches.flat()).toEqual(await collect([`${rec(1)}\nnoise\n${rec(2)}\n${rec(3)}`]));
  });

  it('with unparsedRecords, yields records of the one printed form as their bytes, the rest as before', async () => {
    const other = `{"type":"RECORD","record":{"stream":"s","data":{"n":1.0},"emitted_at":1}}`;
    const text = `${rec(1)}\n${rec(2)}\r\nnoise\n${other}\n${rec(3)}\n${rec(4)}`;
    const bytes = Buffer.from(text);
    const expected = await collect([text]);
    // Every split point: lines within a chunk, across chunks, and the last one without its newline.
    for (let i = 1; i < bytes.length; i += 7) {
      async function* gen() {
        yield bytes.subarray(0, i);
        yield bytes.subarray(i);
      }
      const got: (ParsedLine | UnparsedRecord)[] = [];
      for await (const lines of readMessages(gen()).chunks({ unparsedRecords: true })) got.push(...lines);
      expect(got.map((l) => l.kind)).toEqual(['record', 'message', 'noise', 'message', 'record', 'record']);
      // An unparsed record's bytes are its line with a newline, and parse to the message it would have been.
      const unparsed = got.flatMap((l) => (l.kind === 'record' ? [l.line.toString()] : []));
      expect(unparsed).toEqual([rec(1), rec(3), rec(4)].map((r) => `${r}\n`));
      expect(unparsed.map((l) => JSON.parse(l))).toEqual(
        [0, 4, 5].map((k) => (expected[k] as { message: unknown }).message),
      );
      expect(got[1]).toEqual(expected[1]);
      expect(got[3]).toEqual(expected[3]);
      const first = got[0] as UnparsedRecord;
      expect(first.record).toEqual({ stream: 's', dataStart: 47, dataEnd: 54, emittedAt: 1 });
      expect(first.line.toString('latin1', first.record.dataStart, first.record.dataEnd)).toBe('{"n":1}');
    }
  });
});
