import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/processes.ts';

/**
 * A start that cannot succeed says why in one line a newcomer can act on, and exits 1: no stack trace, no
 * password. Each case is `npm start`'s entry point with one bad setting.
 */
const dir = mkdtempSync(join(tmpdir(), 'ferry-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = (env: Record<string, string>) => {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(FERRY_|NATS_|EVENTSTORE_|MONGODB_)/.test(k)),
  );
  const run = spawnSync(process.execPath, [resolve(repoRoot, 'services/ferry/src/main.ts')], {
    env: { ...inherited, FERRY_DATA_DIR: dir, FERRY_PORT: '0', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, lines: run.stderr.trim().split('\n') };
};

describe('a start that cannot succeed', () => {
  it.each([
    [
      'an event store URL of no store Ferry has',
      { FERRY_EVENT_STORE_URL: 'mysql://db/ferry' },
      /^ferry: FERRY_EVENT_STORE_URL: "mysql:" is not an? event store/,
    ],
    [
      'a read store that is not reachable',
      { FERRY_READ_STORE_URL: 'postgres://ferry:hunter2@127.0.0.1:1/ferry' },
      /^ferry: Cannot reach the PostgreSQL read store at postgres:\/\/127\.0\.0\.1:1\/ferry/,
    ],
    [
      'an event store that is not reachable',
      { FERRY_EVENT_STORE_URL: 'postgres://127.0.0.1:1/ferry' },
      /^ferry: Cannot reach the PostgreSQL event store/,
    ],
    [
      'a NATS server that is not there',
      { NATS_URL: 'nats://127.0.0.1:1' },
      /^ferry: Cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/,
    ],
    ['an invalid setting', { FERRY_PORT: 'eighty' }, /^ferry: invalid configuration: FERRY_PORT/],
  ])('%s: one line, exit code 1', (_what, env, message) => {
    const { code, lines } = start(env);
    expect(code).toBe(1);
    expect(lines, lines.join('\n')).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).not.toContain('hunter2');
  });
});
