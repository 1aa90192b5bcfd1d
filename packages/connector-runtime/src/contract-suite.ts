import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeMessage } from '@ferry/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, recordData, runToEnd, stoppedBeating, waitFor } from './contract-helpers.ts';
import { ConnectorRuntimeError } from './errors.ts';
import type { ConnectorRuntime } from './port.ts';

/** What an adapter's test gives the suite: a runtime whose `/local` is `localRoot`, running the fixture as `image`. */
export type MakeRuntime = (settings: {
  localRoot: string;
  killGraceMs: number;
}) => ConnectorRuntime | Promise<ConnectorRuntime>;

const KILL_GRACE_MS = 1000;

/** Real differences between runtimes, passed in (STYLE.md: a shared suite, differences as parameters). */
export interface ContractOptions {
  /**
   * Messages fed to a connector that never reads them: more than the runtime buffers on the way, so the
   * writer must block and then fail. Default 100,000 (about 8 MB, past a pipe's or Docker's buffers); the
   * Kubernetes attach goes through TCP connections that take several MB more.
   */
  unreadInputMessages?: number;
}

/**
 * The behaviour every ConnectorRuntime adapter shares, run against test/fixtures/connector.ts made available
 * as `image` (a built-in entry point for the process runtime, an image for Docker).
 */
export function connectorRuntimeContract(
  name: string,
  makeRuntime: MakeRuntime,
  image: string,
  options: ContractOptions = {},
): void {
  const unread = options.unreadInputMessages ?? 100_000;
  describe(`${name}: connector runtime contract`, () => {
    let runtime: ConnectorRuntime;
    let localRoot: string;
    const read = (config: object) => ({ image, command: 'read' as const, config });
    const heartbeat = (token: string) => path.join(localRoot, `heartbeat-${token}`);

    beforeAll(async () => {
      localRoot = await mkdtemp(path.join(tmpdir(), 'ferry-contract-local-'));
      runtime = await makeRuntime({ localRoot, killGraceMs: KILL_GRACE_MS });
    });
    afterAll(async () => {
      await runtime.close?.();
      await rm(localRoot, { recursive: true, force: true });
    });

    it('is available and describes itself', async () => {
      expect(await runtime.available()).toBe(true);
      expect(runtime.describe()).toMatch(/\w/);
    });

    it('runs spec and reports a clean exit', async () => {
      const outcome = await runToEnd(runtime, { image, command: 'spec' });
      expect(outcome.messages.map((m) => m.type)).toEqual(['SPEC']);
      expect(outcome.exit).toEqual({ code: 0, signal: null });
    });

    it('passes config, catalog and state as files', async () => {
      const config = { mode: 'inputs', secret: 's3cr3t' };
      const catalog = { streams: [{ stream: { name: 'fixture' }, sync_mode: 'incremental' }] };
      const outcome = await runToEnd(runtime, { ...read(config), catalog, state: { cursor: 7 } });
      expect(recordData(outcome)).toEqual([{ config, catalog, state: { cursor: 7 } }]);
    });

    it('passes the environment, with LOCAL_ROOT', async () => {
      const outcome = await runToEnd(runtime, { ...read({ mode: 'env' }), env: { FIXTURE_ECHO: 'hello' } });
      expect(recordData(outcome)).toEqual([{ localRoot: expect.any(String), echo: 'hello' }]);
    });

    it('keeps the messages among garbage and reports the garbage as noise', async () => {
      const outcome = await runToEnd(runtime, read({ mode: 'garbage' }));
      expect(recordData(outcome)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(outcome.noise.map((n) => n.line)).toEqual([
        'starting up',
        '{"not": "a message"}',
        '{broken json',
        '\ufffd\ufffd',
      ]);
      expect(outcome.noise[3]?.reason).toMatch(/invalid UTF-8/);
      expect(outcome.exit.code).toBe(0);
    });

    it('hands every stderr line to onLog', async () => {
      const outcome = await runToEnd(runtime, read({ mode: 'stderr' }));
      expect(outcome.logs).toEqual(['first line', 'second line', 'no newline at the end']);
      expect(recordData(outcome)).toEqual([{ n: 1 }]);
    });

    it('reports a failing exit code', async () => {
      const outcome = await runToEnd(runtime, read({ mode: 'exit', code: 3 }));
      expect(outcome.exit).toEqual({ code: 3, signal: null });
      expect(outcome.logs).toEqual(['failing on purpose']);
    });

    it('streams many records without losing one', async () => {
      const outcome = await runToEnd(runtime, read({ mode: 'many', count: 20_000 }));
      expect(outcome.messages).toHaveLength(20_000);
      expect(recordData(outcome).at(-1)).toMatchObject({ n: 19_999 });
    });

    it('keeps the output of a connector that has exited until its reader comes', async () => {
      const token = `late-${Date.now()}`;
      const run = await runtime.run(read({ mode: 'mark-done', token }));
      await waitFor(() => existsSync(path.join(localRoot, `done-${token}`)));
      await sleep(500); // its exit reaches the runtime meanwhile: only then is the output read
      const outcome = await collect(run);
      expect(recordData(outcome)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(outcome.exit).toEqual({ code: 0, signal: null });
    });

    it('pipes stdin into write, with backpressure both ways', async () => {
      const run = await runtime.run({ image, command: 'write', config: {}, catalog: { streams: [] } });
      const count = 5000;
      const feeding = (async () => {
        for (let n = 0; n < count; n++) {
          const written = writeMessage(run.stdin, {
            type: 'RECORD',
            record: { stream: 's', data: { n }, emitted_at: 1 },
          });
          if (written !== true) await written;
        }
        run.stdin.end();
      })();
      const outcome = await collect(run);
      await feeding;
      expect(recordData(outcome)).toHaveLength(count);
      expect(outcome.messages.at(-1)).toEqual({ type: 'STATE', state: { data: { echoed: count } } });
      expect(outcome.exit.code).toBe(0);
    });

    it('fails the writer, rather than blocking it, when the connector exits without reading its input', async () => {
      const run = await runtime.run({
        image,
        command: 'write',
        config: { mode: 'exit', code: 4 },
        catalog: {},
      });
      const feeding = (async () => {
        for (let n = 0; n < unread; n++) {
          const written = writeMessage(run.stdin, {
            type: 'RECORD',
            record: { stream: 's', data: { n }, emitted_at: 1 },
          });
          if (written !== true) await written;
        }
      })().then(
        () => 'fed',
        (err: unknown) => err,
      );
      expect((await collect(run)).exit.code).toBe(4);
      expect(await feeding).toBeInstanceOf(Error);
    });

    it('stops a hanging connector on timeout, children included', async () => {
      const outcome = await runToEnd(runtime, {
        ...read({ mode: 'hang', token: 'timeout' }),
        timeoutMs: 1500,
      });
      expect(outcome.exit.reason).toBe('timeout');
      expect(outcome.exit.code).not.toBe(0);
      expect(outcome.elapsedMs).toBeLessThan(1500 + KILL_GRACE_MS + 3000);
      expect(existsSync(heartbeat('timeout'))).toBe(true);
      expect(await stoppedBeating(heartbeat('timeout'))).toBe(true);
    });

    it('kills a connector that ignores SIGTERM once the grace period is over', async () => {
      const outcome = await runToEnd(runtime, {
        ...read({ mode: 'hang', token: 'stubborn', ignoreTerm: true }),
        timeoutMs: 1000,
      });
      expect(outcome.exit).toEqual({ code: null, signal: 'SIGKILL', reason: 'timeout' });
      expect(outcome.elapsedMs).toBeGreaterThanOrEqual(1000 + KILL_GRACE_MS - 100);
      expect(await stoppedBeating(heartbeat('stubborn'))).toBe(true);
    });

    it('cancels on abort, children included', async () => {
      const abort = new AbortController();
      const running = runToEnd(runtime, read({ mode: 'hang', token: 'cancel' }), abort.signal);
      await waitFor(() => existsSync(heartbeat('cancel')));
      abort.abort();
      const outcome = await running;
      expect(outcome.exit.reason).toBe('cancelled');
      expect(await stoppedBeating(heartbeat('cancel'))).toBe(true);
    });

    it('leaves no child behind when the connector exits by itself', async () => {
      const outcome = await runToEnd(runtime, read({ mode: 'leave-child', token: 'left' }));
      expect(outcome.exit).toEqual({ code: 0, signal: null });
      expect(existsSync(heartbeat('left'))).toBe(true);
      expect(await stoppedBeating(heartbeat('left'))).toBe(true);
    });

    it('refuses to start with an aborted signal', async () => {
      await expect(runtime.run({ image, command: 'spec' }, AbortSignal.abort())).rejects.toThrow(/abort/i);
    });

    it('says runtime.image_missing for an image it cannot run', async () => {
      const error = await runtime
        .run({ image: 'ferry/no-such-connector:0.0.0', command: 'spec' })
        .catch((e) => e);
      expect(error).toBeInstanceOf(ConnectorRuntimeError);
      expect(error).toMatchObject({ name: 'ConnectorRuntimeError', code: 'runtime.image_missing' });
    });
  });
}
