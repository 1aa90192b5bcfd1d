import { existsSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AirbyteMessage } from '@ferry/protocol';
import type { ConnectorExit, ConnectorInvocation, ConnectorRun, ConnectorRuntime } from './port.ts';

export interface Outcome {
  messages: AirbyteMessage[];
  noise: { line: string; reason: string }[];
  logs: string[];
  exit: ConnectorExit;
  elapsedMs: number;
}

/** Reads a run to its end, the way every consumer must: messages first, then the exit. */
export async function collect(
  run: ConnectorRun,
  logs: string[] = [],
  startedAt = Date.now(),
): Promise<Outcome> {
  const messages: AirbyteMessage[] = [];
  const noise: Outcome['noise'] = [];
  for await (const line of run.messages) {
    if (line.kind === 'message') messages.push(line.message);
    else noise.push({ line: line.line, reason: line.reason });
  }
  const exit = await run.exit;
  return { messages, noise, logs, exit, elapsedMs: Date.now() - startedAt };
}

export async function runToEnd(
  runtime: ConnectorRuntime,
  invocation: ConnectorInvocation,
  signal?: AbortSignal,
): Promise<Outcome> {
  const logs: string[] = [];
  const startedAt = Date.now();
  const run = await runtime.run({ onLog: (line) => logs.push(line), ...invocation }, signal);
  return collect(run, logs, startedAt);
}

export function recordData(outcome: Outcome): unknown[] {
  return outcome.messages.flatMap((m) => (m.type === 'RECORD' ? [m.record.data] : []));
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}

const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);

/**
 * Whether whoever appends to `file` (the fixture's heartbeat child, every 50 ms) has stopped: the file must
 * not grow over a few beats. This is how the suite sees a child inside a container as well as a local one.
 */
export async function stoppedBeating(file: string): Promise<boolean> {
  await sleep(150); // lets a write already under way land
  const before = size(file);
  await sleep(400);
  return size(file) === before;
}
