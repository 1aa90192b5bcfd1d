import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bytesOf,
  configured,
  connectorChildren,
  groupAlive,
  IMAGES,
  jsonRows,
  sync,
  syncSandbox,
} from '../../test/sync-support.ts';

let box: Awaited<ReturnType<typeof syncSandbox>>;
beforeAll(async () => {
  box = await syncSandbox();
});
afterAll(() => box.remove());

const faker = (count: number) => ({
  image: IMAGES.faker,
  config: { count, seed: 3, records_per_slice: 250 },
});
const fullRefresh = ['users', 'products'].map((s) => configured(s, 'full_refresh', 'overwrite'));
const incrementalUsers = [configured('users', 'incremental', 'append')];

describe('sync pipeline: faker into local-json', () => {
  it('writes every record of the selected streams and counts records and bytes as Airbyte does', async () => {
    const { result, progress, log } = await sync(
      box.runtime,
      box.request(faker(1000), IMAGES.json, fullRefresh),
    );
    const users = await jsonRows(box.rawFile('users', 'jsonl'));
    const products = await jsonRows(box.rawFile('products', 'jsonl'));
    expect(result).toMatchObject({ succeeded: true, failureReason: null, recordsSynced: 2000 });
    expect([users.length, products.length]).toEqual([1000, 1000]);
    expect(result.bytesSynced).toBe(bytesOf(users) + bytesOf(products));
    expect(progress.at(-1)).toEqual({ recordsSynced: 2000, bytesSynced: result.bytesSynced });
    expect(log).toMatch(/starting the destination: write of ferry\/destination-local-json/);
    expect(log).toMatch(/sync succeeded \(2000 records/);
    await expect(readFile(box.rawFile('purchases', 'jsonl'))).rejects.toThrow(/ENOENT/);
  });

  it('counts and writes records printed in any JSON form as their serialized data, byte for byte', async () => {
    const record = (data: string, around = '') =>
      `{"type":"RECORD", "record":{${around}"stream":"users","data":${data},"emitted_at":7}}`;
    const lines = [
      record('{"id":1,"name":"Ada"}'),
      record('{ "id" : 2, "name":"Grace" }'),
      record('{"id":3.0,"n":1e2,"big":12345678901234567890,"neg":-0}'),
      record('{"id":4,"id":5,"é":"\\u00e9 \\/ \\n 😀"}'),
      record('{"b":1,"1":2,"nested":{"x":[1, {"y":null}]}}', '"namespace":"n",'),
      record('{"id":6}', '"data":{"shadowed":true},'),
    ];
    const source = { image: IMAGES.fixture, config: { lines } };
    const streams = [configured('users', 'full_refresh', 'overwrite')];
    const { result } = await sync(box.runtime, box.request(source, IMAGES.json, streams));
    const sent = lines.map((l) => JSON.parse(l).record.data as Record<string, unknown>);
    expect(result).toMatchObject({
      succeeded: true,
      recordsSynced: lines.length,
      bytesSynced: bytesOf(sent),
    });
    const written = (await readFile(box.rawFile('users', 'jsonl'), 'utf8')).split('\n').filter(Boolean);
    // As before: the data as JSON.stringify printed it (-0 becomes 0).
    expect(written.map((w) => JSON.parse(w)._airbyte_data)).toEqual(JSON.parse(JSON.stringify(sent)));
    // Each row is the text JSON.stringify printed for it, whatever the form the source printed.
    for (const [i, w] of written.entries()) {
      const id = JSON.parse(w)._airbyte_ab_id;
      const row = { _airbyte_ab_id: id, _airbyte_emitted_at: 7, _airbyte_data: sent[i] };
      expect(w).toBe(JSON.stringify(row));
    }
  });

  it('keeps the state the destination committed, and the next sync reads only the rows after it', async () => {
    await sync(box.runtime, box.request(null, IMAGES.json, incrementalUsers)); // from an empty users file
    const first = await sync(box.runtime, box.request(faker(1000), IMAGES.json, incrementalUsers));
    expect(first.result.state).toEqual({
      streams: { users: { cursor_field: ['updated_at'], cursor: '2020-01-01T16:39:00.000Z' } },
    });
    const next = box.request(faker(1200), IMAGES.json, incrementalUsers, first.result.state);
    expect((await sync(box.runtime, next)).result).toMatchObject({ succeeded: true, recordsSynced: 200 });
    const ids = (await jsonRows(box.rawFile('users', 'jsonl'))).map((r) => r.id);
    expect(ids).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
  });

  it('writes the same rows under a namespace rule, which renames the records it forwards unparsed', async () => {
    const users = [configured('users', 'full_refresh', 'overwrite')];
    const plain = await sync(box.runtime, box.request(faker(300), IMAGES.json, users));
    const namespacing = { definition: 'source' as const, format: null, prefix: 'p_' };
    const prefixed = await sync(box.runtime, { ...box.request(faker(300), IMAGES.json, users), namespacing });
    expect(prefixed.result).toMatchObject({ succeeded: true, recordsSynced: 300 });
    expect(prefixed.result.bytesSynced).toBe(plain.result.bytesSynced);
    const rows = async (stream: string) =>
      (await readFile(box.rawFile(stream, 'jsonl'), 'utf8')).replace(
        /"_airbyte_ab_id":"[^"]+","_airbyte_emitted_at":\d+/g,
        '',
      );
    expect(await rows('p_users')).toBe(await rows('users'));
  });

  it('resets: the destination streams end up empty and no state is kept', async () => {
    const { result } = await sync(box.runtime, box.request(null, IMAGES.json, incrementalUsers));
    expect(result).toEqual({
      succeeded: true,
      failureReason: null,
      recordsSynced: 0,
      bytesSynced: 0,
      state: null,
    });
    expect(await readFile(box.rawFile('users', 'jsonl'), 'utf8')).toBe('');
  });

  it('stops both connectors on cancel, leaving no process behind, and reports failed/cancelled', async () => {
    const cancel = new AbortController();
    let children: number[] = [];
    const { result } = await sync(box.runtime, box.request(faker(5_000_000), IMAGES.json, fullRefresh), {
      signal: cancel.signal,
      onProgress: (p) => {
        if (p.recordsSynced < 5000 || cancel.signal.aborted) return;
        children = connectorChildren();
        cancel.abort();
      },
    });
    expect(result).toMatchObject({ succeeded: false, failureReason: 'cancelled' });
    expect(result.recordsSynced).toBeGreaterThanOrEqual(5000);
    expect(children).toHaveLength(2); // the source and the destination, each the leader of its process group
    expect(children.filter(groupAlive)).toEqual([]);
    expect(connectorChildren()).toEqual([]);
  });
});

describe('sync pipeline: failures', () => {
  const fixture = (config: Record<string, unknown>) => ({ image: IMAGES.fixture, config });
  const users = [configured('users', 'full_refresh', 'overwrite')];

  it('forwards only the streams of the catalog, and scrubs secrets from the log', async () => {
    const source = fixture({ count: 300, secret: 'hunter2-secret' });
    const { result, log } = await sync(box.runtime, box.request(source, IMAGES.json, users), {
      secrets: ['hunter2-secret'],
    });
    expect(log).toMatch(/source stderr > connecting with password \*{10}/);
    expect(log).not.toContain('hunter2');
    expect(result).toMatchObject({ succeeded: true, recordsSynced: 300, state: { last: 300 } });
    expect(await jsonRows(box.rawFile('users', 'jsonl'))).toHaveLength(300);
    expect(log).toMatch(/dropping the records of stream not_selected/);
  });

  it("keeps the source's last state when the destination echoes none but both succeed", async () => {
    const { result } = await sync(box.runtime, box.request(fixture({ count: 250 }), IMAGES.fixture, users));
    expect(result).toMatchObject({ succeeded: true, recordsSynced: 250, state: { last: 200 } });
  });

  it('fails the attempt when the source dies mid-stream, and the destination keeps its previous data', async () => {
    await writeFile(box.rawFile('users', 'jsonl'), '{"_airbyte_data":{"before":true}}\n');
    const { result, log } = await sync(
      box.runtime,
      box.request(fixture({ count: 1000, dieAfter: 450 }), IMAGES.json, users),
    );
    expect(result).toMatchObject({
      succeeded: false,
      // The source's last stderr line says why.
      failureReason: 'source exited with code 1: dying on purpose',
      recordsSynced: 450,
    });
    expect(await jsonRows(box.rawFile('users', 'jsonl'))).toEqual([{ before: true }]);
    expect(log).toMatch(/source stderr > dying on purpose/);
    expect(connectorChildren()).toEqual([]);
  });

  it('fails the attempt and stops the source when the destination fails', async () => {
    const request = box.request(faker(5_000_000), IMAGES.json, fullRefresh);
    request.destination.config = { destination_path: '/elsewhere/out' };
    const { result, log } = await sync(box.runtime, request);
    expect(result).toMatchObject({
      succeeded: false,
      // The destination's own error (its TRACE, from the connector harness).
      failureReason: 'destination exited with code 1: path must start with /local: /elsewhere/out',
      state: null,
    });
    expect(log).toMatch(/destination FATAL/);
    expect(connectorChildren()).toEqual([]);
  });

  it('stops both connectors when the attempt times out', async () => {
    const request = box.request(faker(5_000_000), IMAGES.json, fullRefresh);
    const { result } = await sync(box.runtime, request, { timeoutMs: 1500 });
    expect(result).toMatchObject({ succeeded: false, failureReason: 'the sync timed out after 1500 ms' });
    expect(connectorChildren()).toEqual([]);
  });

  it('fails the attempt when a connector cannot start', async () => {
    const { result } = await sync(
      box.runtime,
      box.request(faker(10), 'ferry/no-such-destination:1.0', fullRefresh),
    );
    expect(result).toMatchObject({
      succeeded: false,
      failureReason: expect.stringMatching(/^destination failed: runtime.image_missing/),
    });
    expect(connectorChildren()).toEqual([]); // the source, started alongside, was stopped and has ended
    const noSource = await sync(
      box.runtime,
      box.request({ image: 'ferry/none:1', config: {} }, IMAGES.json, fullRefresh),
    );
    expect(noSource.result.failureReason).toMatch(/^source failed: runtime.image_missing/);
    expect(connectorChildren()).toEqual([]);
  });
});
