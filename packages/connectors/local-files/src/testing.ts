import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AirbyteMessage, readMessages, record, state } from '@ferry/protocol';
import { runConnectorProcess } from '@ferry/protocol/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

export interface RawRow {
  id: string;
  emittedAt: number;
  data: unknown;
}

export interface LocalDestinationUnderTest {
  entryPoint: string;
  extension: string;
  /** Parses a raw file's text; the only thing the two formats do differently. */
  readRows(text: string): Promise<RawRow[]>;
}

const stream = (name: string, sync_mode: string, destination_sync_mode?: string) => ({
  stream: { name, json_schema: {} },
  sync_mode,
  ...(destination_sync_mode ? { destination_sync_mode } : {}),
});

/** One contract suite for every local file destination; each connector runs it with its format. */
export function localDestinationSuite(d: LocalDestinationUnderTest) {
  let root = '';
  const env = () => ({ LOCAL_ROOT: root });
  const file = (stream: string) => path.join(root, 'out', `_airbyte_raw_${stream}.${d.extension}`);
  const rows = async (stream: string) => d.readRows(await readFile(file(stream), 'utf8'));
  const data = async (stream: string) => (await rows(stream)).map((r) => r.data);
  const write = (catalog: unknown, stdin: AirbyteMessage[]) =>
    runConnectorProcess(d.entryPoint, 'write', {
      config: { destination_path: '/local/out' },
      catalog,
      stdin,
      env: env(),
    });

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'ferry-local-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  describe('check', () => {
    it('accepts a path under /local and refuses any other', async () => {
      const ok = await runConnectorProcess(d.entryPoint, 'check', {
        config: { destination_path: '/local/x' },
        env: env(),
      });
      expect(ok.messages).toEqual([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } }]);
      const bad = await runConnectorProcess(d.entryPoint, 'check', {
        config: { destination_path: '/tmp/x' },
        env: env(),
      });
      expect(bad.code).toBe(0);
      expect(bad.messages[0]).toMatchObject({
        connectionStatus: { status: 'FAILED', message: expect.stringMatching(/\/local/) },
      });
    });
  });

  describe('write', () => {
    it('overwrites on full refresh, appends on incremental, and echoes every state', async () => {
      const catalog = { streams: [stream('public.users', 'full_refresh'), stream('events', 'incremental')] };
      const run1 = await write(catalog, [
        record('public.users', { id: 1, name: 'a,"b"\nc' }, 10),
        record('events', { n: 1 }, 11),
        state({ c: 1 }),
        record('events', { n: 2 }, 12),
        state({ c: 2 }),
      ]);
      expect(run1).toMatchObject({ code: 0, messages: [state({ c: 1 }), state({ c: 2 })] });
      const [first] = await rows('public_users');
      expect(first).toMatchObject({ emittedAt: 10, data: { id: 1, name: 'a,"b"\nc' } });
      expect(first?.id).toMatch(/^[0-9a-f-]{36}$/);

      const run2 = await write(catalog, [
        record('public.users', { id: 2 }, 20),
        record('events', { n: 3 }, 21),
      ]);
      expect(run2.code).toBe(0);
      expect(await data('public_users')).toEqual([{ id: 2 }]);
      expect(await data('events')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    });

    it('lets an explicit destination_sync_mode decide, and empties streams with no records (reset)', async () => {
      await write({ streams: [stream('a', 'full_refresh'), stream('b', 'full_refresh')] }, [
        record('a', { x: 1 }),
        record('b', { x: 1 }),
      ]);
      const reset = await write(
        { streams: [stream('a', 'full_refresh', 'overwrite'), stream('b', 'full_refresh', 'append')] },
        [],
      );
      expect(reset.code).toBe(0);
      expect(await rows('a')).toEqual([]);
      expect(await data('b')).toEqual([{ x: 1 }]);
    });

    it('refuses a path outside /local with a non-zero exit', async () => {
      const r = await runConnectorProcess(d.entryPoint, 'write', {
        config: { destination_path: '/etc' },
        catalog: { streams: [] },
        env: env(),
      });
      expect(r.code).not.toBe(0);
    });

    it('has the records on disk when it echoes a state, and a killed sync leaves the old overwritten file', async () => {
      await write({ streams: [stream('kept', 'full_refresh')] }, [record('kept', { old: true })]);
      const dir = await mkdtemp(path.join(tmpdir(), 'ferry-local-cfg-'));
      await writeFile(path.join(dir, 'c.json'), JSON.stringify({ destination_path: '/local/out' }));
      const catalog = { streams: [stream('kept', 'full_refresh'), stream('log', 'incremental')] };
      await writeFile(path.join(dir, 'k.json'), JSON.stringify(catalog));
      const child = spawn(
        process.execPath,
        [d.entryPoint, 'write', '--config', `${dir}/c.json`, '--catalog', `${dir}/k.json`],
        {
          env: { ...process.env, ...env() },
        },
      );
      for (let i = 0; i < 100; i++)
        child.stdin.write(`${JSON.stringify(record(i % 2 ? 'kept' : 'log', { i }))}\n`);
      child.stdin.write(`${JSON.stringify(state({ at: 100 }))}\n`);
      for await (const line of readMessages(child.stdout)) {
        if (line.kind === 'message' && line.message.type === 'STATE') break;
      }
      expect(await rows('log')).toHaveLength(50);
      const exited = new Promise((r) => child.on('close', r));
      child.kill('SIGKILL');
      await exited;
      expect(await data('kept')).toEqual([{ old: true }]);
      await rm(dir, { recursive: true, force: true });
    });

    it('stopped with SIGTERM (a cancel), leaves the old overwritten file and no temporary file', async () => {
      await write({ streams: [stream('kept', 'full_refresh')] }, [record('kept', { old: true })]);
      const dir = await mkdtemp(path.join(tmpdir(), 'ferry-local-cfg-'));
      await writeFile(path.join(dir, 'c.json'), JSON.stringify({ destination_path: '/local/out' }));
      await writeFile(
        path.join(dir, 'k.json'),
        JSON.stringify({ streams: [stream('kept', 'full_refresh')] }),
      );
      const child = spawn(
        process.execPath,
        [d.entryPoint, 'write', '--config', `${dir}/c.json`, '--catalog', `${dir}/k.json`],
        { env: { ...process.env, ...env() } },
      );
      for (let i = 0; i < 100; i++) child.stdin.write(`${JSON.stringify(record('kept', { i }))}\n`);
      child.stdin.write(`${JSON.stringify(state({ at: 100 }))}\n`);
      for await (const line of readMessages(child.stdout)) {
        if (line.kind === 'message' && line.message.type === 'STATE') break;
      }
      const exited = new Promise((r) => child.on('close', (_code, signal) => r(signal)));
      child.kill('SIGTERM');
      expect(await exited).toBe('SIGTERM');
      expect(await data('kept')).toEqual([{ old: true }]);
      expect((await readdir(path.join(root, 'out'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      await rm(dir, { recursive: true, force: true });
    });
  });
}
