import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, commandLine, waitingProcesses } from '../test/warm-processes.ts';
import { recordData, runToEnd, stoppedBeating, waitFor } from './contract-helpers.ts';
import { connectorRuntimeContract } from './contract-suite.ts';
import type { ConnectorRuntime } from './port.ts';
import { createProcessRuntime } from './process-runtime.ts';
import { warmConnectors } from './warm-connectors.ts';

const FIXTURE_IMAGE = 'ferry/fixture-connector:test';
const fixture = fileURLToPath(new URL('../test/fixtures/connector.ts', import.meta.url));
const owner = fileURLToPath(new URL('../test/fixtures/warm-owner.ts', import.meta.url));
const entryPoints = { [FIXTURE_IMAGE]: fixture };

// Every run after a suite's first finds a process of the fixture started ahead, save those whose
// environment differs from the run before: the contract holds on both paths.
connectorRuntimeContract(
  'process, started ahead',
  ({ localRoot, killGraceMs }) => createProcessRuntime({ entryPoints, localRoot, killGraceMs, warm: true }),
  FIXTURE_IMAGE,
);

interface Started {
  pid: number;
  script: string;
  uptimeMs: number;
}

describe('process runtime, connectors started ahead', () => {
  let runtime: ConnectorRuntime;
  afterEach(() => runtime?.close?.());
  const started = async (env?: Record<string, string>) => {
    const outcome = await runToEnd(runtime, {
      image: FIXTURE_IMAGE,
      command: 'read',
      config: { mode: 'process' },
      ...(env ? { env } : {}),
    });
    expect(outcome.exit).toEqual({ code: 0, signal: null });
    return recordData(outcome)[0] as Started;
  };
  /** The process waiting for the fixture's next run, once its previous run's process has exited. */
  const waiting = async () => {
    await waitFor(() => waitingProcesses().length === 1);
    return waitingProcesses()[0]!;
  };

  it('runs the next command of an image in the process started for it, and each such process once', async () => {
    runtime = createProcessRuntime({ entryPoints, warm: true });
    const first = await started();
    const ahead = await waiting();
    expect(ahead).not.toBe(first.pid);
    expect(commandLine(ahead)).toBe(`ferry-waiting ${FIXTURE_IMAGE}`);
    const second = await started();
    expect(second.pid).toBe(ahead);
    expect(second.script).toBe(fixture); // what a spawned one sees as its script
    expect(alive(ahead)).toBe(false);
    const next = await waiting();
    expect(next).not.toBe(ahead);
    // Another environment: not the process started with the last one's.
    const echoed = await runToEnd(runtime, {
      image: FIXTURE_IMAGE,
      command: 'read',
      config: { mode: 'env' },
      env: { FIXTURE_ECHO: 'other' },
    });
    expect(recordData(echoed)).toEqual([{ localRoot: expect.any(String), echo: 'other' }]);
    // Let go with SIGKILL at the hand-off; on a loaded machine it can still be dying when the run ends.
    await waitFor(() => !alive(next));
  });

  it('spawns the run as before when the process started ahead died before it', async () => {
    runtime = createProcessRuntime({ entryPoints, warm: true });
    await started();
    const ahead = await waiting();
    process.kill(ahead, 'SIGKILL');
    await waitFor(() => !alive(ahead));
    const run = await started();
    expect(run.pid).not.toBe(ahead);
  });

  it('does not hand a run to a process started ahead that dies as the run is handed to it', async () => {
    const warm = warmConnectors(process.execPath, {});
    try {
      warm.prepare(FIXTURE_IMAGE, fixture, undefined);
      const ahead = await waiting();
      // Killed in the same turn as the hand-off: this Node cannot have seen it exit, only fd 3 unanswered.
      process.kill(ahead, 'SIGKILL');
      expect(await warm.take(FIXTURE_IMAGE, undefined, ['spec'])).toBeUndefined();
      await waitFor(() => !alive(ahead));
    } finally {
      await warm.close();
    }
  });

  it('stops a cancelled run in a process started ahead, with everything it started', async () => {
    const localRoot = await mkdtemp(path.join(tmpdir(), 'ferry-warm-local-'));
    try {
      runtime = createProcessRuntime({ entryPoints, localRoot, warm: true, killGraceMs: 500 });
      await started();
      const ahead = await waiting();
      const cancel = new AbortController();
      const running = runToEnd(
        runtime,
        { image: FIXTURE_IMAGE, command: 'read', config: { mode: 'hang', token: 'warm' } },
        cancel.signal,
      );
      const heartbeat = path.join(localRoot, 'heartbeat-warm');
      await waitFor(() => existsSync(heartbeat));
      // The run is in it, and `ps` shows the run's command line.
      expect(commandLine(ahead)).toMatch(new RegExp(`^${process.execPath} ${fixture} read --config `));
      cancel.abort();
      const outcome = await running;
      expect(outcome.exit).toEqual({ code: null, signal: 'SIGTERM', reason: 'cancelled' });
      expect(alive(ahead)).toBe(false);
      expect(await stoppedBeating(heartbeat)).toBe(true);
    } finally {
      await rm(localRoot, { recursive: true, force: true });
    }
  });

  it('ends the processes started ahead on close, and starts none after', async () => {
    runtime = createProcessRuntime({ entryPoints, warm: true });
    await started();
    const ahead = await waiting();
    await runtime.close?.();
    expect(alive(ahead)).toBe(false);
    expect(waitingProcesses()).toEqual([]);
    await started();
    await new Promise((r) => setTimeout(r, 1000)); // past the delay before a next process would start
    expect(waitingProcesses()).toEqual([]);
  });

  it('ends a process started ahead when the process that started it dies', async () => {
    runtime = createProcessRuntime({ entryPoints });
    const parent = spawn(process.execPath, [owner, FIXTURE_IMAGE, fixture], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(createInterface({ input: parent.stdout }), 'line')) as [string];
    const ahead = Number(line);
    expect(alive(ahead)).toBe(true);
    parent.kill('SIGKILL');
    await waitFor(() => !alive(ahead));
  });
});
