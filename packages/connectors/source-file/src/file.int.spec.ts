import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AirbyteMessage, AirbyteStream } from '@ferry/protocol';
import { runConnectorProcess } from '@ferry/protocol/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifest } from './index.ts';

let root = '';
const run = (command: 'check' | 'discover' | 'read', config: unknown, catalog?: unknown) =>
  runConnectorProcess(manifest.entryPoint, command, { config, catalog, env: { LOCAL_ROOT: root } });
const streamOf = (ms: AirbyteMessage[]) => (ms[0]?.type === 'CATALOG' ? ms[0].catalog.streams[0] : undefined);
const data = (ms: AirbyteMessage[]) => ms.flatMap((m) => (m.type === 'RECORD' ? [m.record.data] : []));
const full = (stream: AirbyteStream) => ({ streams: [{ stream, sync_mode: 'full_refresh' }] });

const CSV = 'id,name,score,ok,note\r\n1,"Doe, Jane",1.5,true,"said ""hi""\nthen left"\n2,Bob,,false,\n';
const JSONL = '{"id":1,"tags":["a"],"nested":{"x":1}}\n\n{"id":2.5,"extra":null}';

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ferry-source-file-'));
  await mkdir(path.join(root, 'in'));
  await writeFile(path.join(root, 'in/people.csv'), CSV);
  await writeFile(path.join(root, 'in/things.jsonl'), JSONL);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('source-file', () => {
  it('checks that the file is readable and under /local', async () => {
    const ok = await run('check', { format: 'csv', path: '/local/in/people.csv', stream_name: 'people' });
    expect(ok.messages[0]).toMatchObject({ connectionStatus: { status: 'SUCCEEDED' } });
    for (const p of ['in/missing.csv', '/etc/passwd', '/local/../x.csv', '/local/in']) {
      const bad = await run('check', { format: 'csv', path: p, stream_name: 'x' });
      expect(bad.messages[0]).toMatchObject({ connectionStatus: { status: 'FAILED' } });
    }
  });

  it('discovers and reads a CSV with quotes and embedded newlines, typed as discovered', async () => {
    const config = { format: 'csv', path: 'in/people.csv', stream_name: 'people' };
    const stream = streamOf((await run('discover', config)).messages)!;
    expect(stream.json_schema.properties).toEqual({
      id: { type: ['integer', 'null'] },
      name: { type: ['string', 'null'] },
      score: { type: ['number', 'null'] },
      ok: { type: ['boolean', 'null'] },
      note: { type: ['string', 'null'] },
    });
    const read = await run('read', config, full(stream));
    expect(read.code).toBe(0);
    expect(data(read.messages)).toEqual([
      { id: 1, name: 'Doe, Jane', score: 1.5, ok: true, note: 'said "hi"\nthen left' },
      { id: 2, name: 'Bob', score: null, ok: false, note: '' },
    ]);
  });

  it('discovers and reads JSON Lines', async () => {
    const config = { format: 'jsonl', path: '/local/in/things.jsonl', stream_name: 'things' };
    const stream = streamOf((await run('discover', config)).messages)!;
    expect(stream.json_schema.properties).toEqual({
      id: { type: ['number', 'null'] },
      tags: { type: ['array', 'null'] },
      nested: { type: ['object', 'null'] },
      extra: { type: ['string', 'null'] },
    });
    const read = await run('read', config, full(stream));
    expect(data(read.messages)).toEqual([
      { id: 1, tags: ['a'], nested: { x: 1 } },
      { id: 2.5, extra: null },
    ]);
  });

  it('fails a read of a file that is not what its format says', async () => {
    const config = { format: 'jsonl', path: 'in/people.csv', stream_name: 'people' };
    const read = await run('read', config, full({ name: 'people', json_schema: {} }));
    expect(read.code).toBe(1);
    expect(read.messages.at(-1)).toMatchObject({
      log: { level: 'FATAL', message: expect.stringMatching(/^line 1 is not JSON/) },
    });
  });
});
