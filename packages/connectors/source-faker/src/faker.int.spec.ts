import type { AirbyteMessage, RecordMessage } from '@ferry/protocol';
import { runConnectorProcess } from '@ferry/protocol/testing';
import { describe, expect, it } from 'vitest';
import { manifest } from './index.ts';

const run = (
  command: Parameters<typeof runConnectorProcess>[1],
  input?: Parameters<typeof runConnectorProcess>[2],
) => runConnectorProcess(manifest.entryPoint, command, input);

const configured = (name: string, sync_mode = 'incremental') => ({
  stream: { name, json_schema: {} },
  sync_mode,
});
const records = (ms: AirbyteMessage[]) =>
  ms.filter((m): m is RecordMessage => m.type === 'RECORD').map((m) => m.record);
const states = (ms: AirbyteMessage[]) =>
  ms.flatMap((m) => (m.type === 'STATE' && m.state.data ? [m.state.data] : []));

describe('source-faker', () => {
  it('answers spec, check and discover', async () => {
    const spec = await run('spec');
    expect(spec.messages[0]).toMatchObject({
      type: 'SPEC',
      spec: { connectionSpecification: { type: 'object' } },
    });
    expect((await run('check', { config: {} })).messages).toEqual([
      { type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } },
    ]);
    const discover = await run('discover', { config: {} });
    const streams = discover.messages[0]?.type === 'CATALOG' ? discover.messages[0].catalog.streams : [];
    expect(streams.map((s) => [s.name, s.source_defined_cursor, s.default_cursor_field])).toEqual([
      ['users', true, ['updated_at']],
      ['products', true, ['updated_at']],
      ['purchases', true, ['updated_at']],
    ]);
  });

  it('produces the same rows for the same seed, other rows for another', async () => {
    const catalog = {
      streams: [configured('users', 'full_refresh'), configured('purchases', 'full_refresh')],
    };
    const a = await run('read', { config: { count: 50, seed: 7 }, catalog });
    const b = await run('read', { config: { count: 50, seed: 7 }, catalog });
    const c = await run('read', { config: { count: 50, seed: 8 }, catalog });
    const data = (r: typeof a) => records(r.messages).map((x) => [x.stream, x.data]);
    expect(a.code).toBe(0);
    expect(data(a)).toHaveLength(100);
    expect(data(a)).toEqual(data(b));
    expect(data(a)).not.toEqual(data(c));
  });

  it('reads incrementally: checkpoints per slice, resumes after the cursor, picks up a larger count', async () => {
    const catalog = { streams: [configured('users')] };
    const first = await run('read', { config: { count: 25, records_per_slice: 10 }, catalog });
    expect(records(first.messages)).toHaveLength(25);
    expect(states(first.messages)).toHaveLength(3); // after 10, after 20, at the end
    const last = states(first.messages).at(-1)!;
    expect(last).toEqual({
      streams: { users: { cursor_field: ['updated_at'], cursor: '2020-01-01T00:24:00.000Z' } },
    });

    const again = await run('read', { config: { count: 25 }, catalog, state: last });
    expect(records(again.messages)).toEqual([]);
    expect(states(again.messages)).toEqual([last]);

    const more = await run('read', { config: { count: 30 }, catalog, state: last });
    expect(records(more.messages).map((r) => r.data.id)).toEqual([26, 27, 28, 29, 30]);
  });

  it('fails a read of an unknown stream with a non-zero exit', async () => {
    const r = await run('read', { config: {}, catalog: { streams: [configured('nope')] } });
    expect(r.code).toBe(1);
    expect(r.messages.at(-1)).toMatchObject({
      type: 'LOG',
      log: { level: 'FATAL', message: 'unknown stream nope' },
    });
  });
});
