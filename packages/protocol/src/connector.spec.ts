import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ConnectorHandlers, END_OF_INPUT_LINE, runConnectorCommand } from './connector.ts';
import type { AirbyteMessage } from './messages.ts';
import { connectionStatus, log, record, state } from './writer.ts';

const handlers: ConnectorHandlers<{ password: string; n: number }> = {
  config: z.object({ password: z.string(), n: z.number().default(2) }),
  spec: () => ({ connectionSpecification: { type: 'object' } }),
  check: (c) =>
    c.password === 'ok' ? { status: 'SUCCEEDED' } : { status: 'FAILED', message: 'wrong password' },
  discover: () => ({ streams: [{ name: 's', json_schema: {} }] }),
  async *read(c, catalog, st) {
    for (let i = 0; i < c.n; i++)
      yield record(catalog.streams[0]!.stream.name, { i, from: st?.cursor ?? null }, 1);
    yield state({ cursor: c.n });
  },
  async *write(_c, _catalog, input) {
    for await (const m of input) if (m.type === 'STATE') yield m;
  },
};

async function run(
  argv: string[],
  files: Record<string, unknown> = {},
  stdin = '',
  endMarkerExpected = false,
  connector: ConnectorHandlers<{ password: string; n: number }> = handlers,
) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ferry-protocol-'));
  const args = [];
  for (const a of argv) {
    if (a in files) {
      const f = path.join(dir, `${a}.json`);
      await writeFile(f, JSON.stringify(files[a]));
      args.push(f);
    } else args.push(a);
  }
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: string[] = [];
  stdout.on('data', (c) => chunks.push(String(c)));
  const code = await runConnectorCommand(connector, {
    argv: args,
    stdin: Readable.from([stdin]),
    stdout,
    stderr,
    endMarkerExpected,
  });
  const messages = chunks
    .join('')
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AirbyteMessage);
  return { code, messages, stderr: String(stderr.read() ?? '') };
}

const catalog = { streams: [{ stream: { name: 'users', json_schema: {} }, sync_mode: 'full_refresh' }] };

describe('runConnectorCommand', () => {
  it('answers spec, check and discover', async () => {
    expect((await run(['spec'])).messages[0]).toMatchObject({ type: 'SPEC' });
    const ok = await run(['check', '--config', 'C'], { C: { password: 'ok' } });
    expect(ok).toMatchObject({ code: 0, messages: [connectionStatus('SUCCEEDED')] });
    expect((await run(['discover', '--config', 'C'], { C: { password: 'x' } })).messages[0]).toMatchObject({
      type: 'CATALOG',
    });
  });

  it('reports a failed or invalid check as FAILED with exit 0', async () => {
    const bad = await run(['check', '--config', 'C'], { C: { password: 'no' } });
    expect(bad).toMatchObject({ code: 0, messages: [connectionStatus('FAILED', 'wrong password')] });
    const invalid = await run(['check', '--config', 'C'], { C: { pass: 1 } });
    expect(invalid.code).toBe(0);
    expect(invalid.messages[0]).toMatchObject({
      connectionStatus: { status: 'FAILED', message: expect.stringMatching(/password/) },
    });
  });

  it('reads with catalog and state files', async () => {
    const r = await run(['read', '--config', 'C', '--catalog', 'K', '--state', 'S'], {
      C: { password: 'x', n: 2 },
      K: catalog,
      S: { cursor: 5 },
    });
    expect(r.code).toBe(0);
    expect(r.messages).toEqual([
      record('users', { i: 0, from: 5 }, 1),
      record('users', { i: 1, from: 5 }, 1),
      state({ cursor: 2 }),
    ]);
  });

  it('writes from stdin, skipping noise, and echoes state', async () => {
    const input = `hello\n${JSON.stringify(record('users', {}, 1))}\n${JSON.stringify(state({ c: 1 }))}\n`;
    const r = await run(
      ['write', '--config', 'C', '--catalog', 'K'],
      { C: { password: 'x' }, K: catalog },
      input,
    );
    expect(r).toMatchObject({ code: 0, messages: [state({ c: 1 })] });
    expect(r.stderr).toMatch(/ignored input line \(not JSON\): hello/);
  });

  it("gives a text destination each record's data as JSON.stringify prints it, however the line printed it", async () => {
    const texts = [
      '{"a":1,"b":"x"}', // JSON.stringify's own form: taken unparsed
      '{"a": 1.0, "b":"\\u0078"}',
      '{"n":-0,"big":1e2}',
      '{"a":[1,{"b":null}],"é":"😀"}',
      '{"a":1,"a":2}',
    ];
    const lines = texts.map(
      (data, i) => `{"type":"RECORD","record":{"stream":"users","data":${data},"emitted_at":${i + 1}}}`,
    );
    const asText: typeof handlers = {
      ...handlers,
      async *writeText(_c, _catalog, input) {
        for await (const m of input) if (m.type === 'RECORD') yield log('INFO', JSON.stringify(m));
      },
    };
    const r = await run(
      ['write', '--config', 'C', '--catalog', 'K'],
      { C: { password: 'x' }, K: catalog },
      `${lines.join('\n')}\n${JSON.stringify(state({ c: 1 }))}\n`,
      false,
      asText,
    );
    const expected = texts.map((t, i) => ({
      type: 'RECORD',
      stream: 'users',
      emittedAt: i + 1,
      dataJson: JSON.stringify(JSON.parse(t)),
    }));
    expect(r.messages).toEqual(expected.map((t) => log('INFO', JSON.stringify(t))));
  });

  it('commits only an input that ends with the end-of-input line, when the runner promised one', async () => {
    const records = `${JSON.stringify(record('users', {}, 1))}\n${JSON.stringify(state({ c: 1 }))}\n`;
    const files = { C: { password: 'x' }, K: catalog };
    const argv = ['write', '--config', 'C', '--catalog', 'K'];
    const cut = await run(argv, files, records, true);
    expect(cut.code).not.toBe(0);
    expect(cut.stderr).toMatch(/without the runner's end-of-input line/);
    const whole = await run(argv, files, `${records}${END_OF_INPUT_LINE}\n`, true);
    expect(whole).toMatchObject({ code: 0, messages: [state({ c: 1 })] });
    expect(whole.stderr).not.toMatch(/ignored input line/);
  });

  it('fails with a TRACE error, a FATAL log and non-zero exit on errors and bad usage', async () => {
    const missing = await run(['read', '--config', 'C'], { C: { password: 'x' } });
    expect(missing.code).toBe(2);
    expect(missing.messages).toEqual([
      {
        type: 'TRACE',
        trace: {
          type: 'ERROR',
          emitted_at: expect.any(Number),
          error: expect.objectContaining({ message: expect.stringMatching(/missing --catalog/) }),
        },
      },
      log('FATAL', expect.stringMatching(/missing --catalog/)),
    ]);
    const badCatalog = await run(['read', '--config', 'C', '--catalog', 'K'], {
      C: { password: 'x' },
      K: { streams: [{}] },
    });
    expect(badCatalog.code).toBe(1);
    expect(badCatalog.stderr).toMatch(/invalid catalog: streams\.0\.stream/);
    expect((await run(['dance'])).code).toBe(2);
    expect((await run(['discover', '--config', '/nonexistent.json'])).code).toBe(1);
  });
});
