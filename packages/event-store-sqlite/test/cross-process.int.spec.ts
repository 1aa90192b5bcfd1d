import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '../src/index.ts';

const worker = join(import.meta.dirname, 'append-worker.ts');

function start(...args: string[]): { child: ChildProcessWithoutNullStreams; lines: AsyncIterator<string> } {
  const child = spawn(process.execPath, [worker, ...args], { stdio: 'pipe' });
  return { child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
}

async function nextLine(lines: AsyncIterator<string>): Promise<string> {
  const { value, done } = await lines.next();
  if (done) throw new Error('the worker exited early');
  return value;
}

describe('sqlite event store across processes', () => {
  let dir = '';
  let file = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-event-store-'));
    file = join(dir, 'events.db');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('of processes racing on the same expected revision exactly one wins', async () => {
    const stream = `race-${randomUUID()}`;
    const seed = createSqliteEventStore({ file });
    await seed.append(
      stream,
      [{ id: randomUUID(), type: 'Seeded', data: {}, metadata: metadata() }],
      'no_stream',
    );
    await seed.close();
    const workers = [start('race', file, stream), start('race', file, stream), start('race', file, stream)];
    for (const { lines } of workers) expect(await nextLine(lines)).toBe('ready');
    for (const { child } of workers) child.stdin.write('go\n');
    const outcomes = await Promise.all(workers.map(({ lines }) => nextLine(lines)));
    expect(outcomes.sort()).toEqual(['WrongExpectedRevisionError', 'WrongExpectedRevisionError', 'won']);
  });

  it('keeps every acknowledged append when the writer is killed with SIGKILL', async () => {
    const stream = `flood-${randomUUID()}`;
    const { child, lines } = start('flood', file, stream);
    const acknowledged: string[] = [];
    while (acknowledged.length < 50) acknowledged.push(await nextLine(lines));
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    const store = createSqliteEventStore({ file });
    const stored = (await store.readStream(stream)).map((event) => event.id);
    await store.close();
    expect(stored.slice(0, acknowledged.length)).toEqual(acknowledged);
  });
});

function metadata() {
  return { actor: 'test', correlationId: randomUUID(), causationId: null, occurredAt: '', schemaVersion: 1 };
}
