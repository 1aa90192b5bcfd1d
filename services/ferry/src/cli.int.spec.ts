import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, startFerry, type RunningFerry } from './index.ts';

/** The CLI as a user runs it: a child process talking to a Ferry started in this process on a free port. */
const CLI = join(dirname(fileURLToPath(import.meta.url)), 'cli.ts');
const WORKSPACE = '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6';
const AUTH = { FERRY_AUTH_USER: 'ada', FERRY_AUTH_PASSWORD: 'lovelace' };

let dir: string;
let ferry: RunningFerry;
let url: string;

// Asynchronous on purpose: the server answering the child runs in this very process.
const run = (file: string, args: string[], env: Record<string, string>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const childEnv = { PATH: process.env.PATH ?? '', FERRY_URL: url, ...env };
    execFile(file, args, { env: childEnv, timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
const ferryCli = (args: string[], env: Record<string, string> = AUTH) =>
  run(process.execPath, [CLI, ...args], env);
/** Under a pseudo-terminal (util-linux `script`), where stdout and stderr both land in `stdout`. */
const ferryCliOnTerminal = (args: string[]) =>
  run('script', ['-qec', [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'], AUTH);
const hasScript = spawnSync('script', ['--version']).status === 0;

// biome-ignore lint/suspicious/noExplicitAny: the test reads arbitrary JSON answers
const post = async (path: string, body: unknown): Promise<any> => {
  const basic = Buffer.from(`${AUTH.FERRY_AUTH_USER}:${AUTH.FERRY_AUTH_PASSWORD}`).toString('base64');
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${basic}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
};

const definitionId = async (kind: 'source' | 'destination', name: string) => {
  const list = await post(`/v1/${kind}_definitions/list`, {});
  return list[`${kind}Definitions`].find((d: { name: string }) => d.name === name)[`${kind}DefinitionId`];
};

let sourceId: string;
let connectionId: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-cli-'));
  const env = {
    FERRY_PORT: '0',
    FERRY_HOST: '127.0.0.1',
    FERRY_DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'silent',
  };
  ferry = await startFerry(
    loadSettings({ ...env, ...AUTH, LOCAL_ROOT: join(dir, 'local') }),
    pino({ level: 'silent' }),
  );
  url = ferry.url!;
  const source = await post('/v1/sources/create', {
    workspaceId: WORKSPACE,
    sourceDefinitionId: await definitionId('source', 'Faker'),
    connectionConfiguration: { count: 25, seed: 1 },
    name: 'fake users',
  });
  const destination = await post('/v1/destinations/create', {
    workspaceId: WORKSPACE,
    destinationDefinitionId: await definitionId('destination', 'Local JSON'),
    connectionConfiguration: { destination_path: '/local/cli' },
    name: 'json files',
  });
  sourceId = source.sourceId;
  const { schema } = await post('/v1/sources/discover_schema', { sourceId });
  const connection = await post('/v1/connections/create', {
    name: 'users to json',
    sourceId,
    destinationId: destination.destinationId,
    syncMode: 'full_refresh',
    status: 'active',
    syncSchema: schema,
    schedule: null,
  });
  connectionId = connection.connectionId;
}, 120_000);

afterAll(async () => {
  await ferry?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('ferry CLI', () => {
  it('lists the connections of the default workspace as a table', async () => {
    const { code, stdout } = await ferryCli(['connections']);
    expect(code).toBe(0);
    const [header, row, ...more] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +NAME +STATUS +SCHEDULE +SOURCE → DESTINATION$/);
    expect(row).toMatch(
      new RegExp(`^${connectionId} +users to json +active +manual +fake users → json files$`),
    );
    expect(more).toEqual([]);
    expect((await ferryCli(['connections', '--workspace', WORKSPACE])).stdout).toBe(stdout);
  });

  it("prints a job attempt's log lines", async () => {
    await post('/v1/sources/check_connection', { sourceId });
    const { jobs } = await post('/v1/jobs/list', {
      configType: 'check_connection_source',
      configId: sourceId,
    });
    const jobId = jobs[0].job.id;
    const { attempts } = await post('/v1/jobs/get', { id: jobId });
    const lines: string[] = attempts[0].logs.logLines;
    expect(lines.length).toBeGreaterThan(0);

    const { code, stdout } = await ferryCli(['logs', String(jobId)]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${lines.join('\n')}\n`);
    expect(await ferryCli(['logs', String(jobId), '--attempt', '1'])).toMatchObject({ code: 0, stdout });
    const missing = await ferryCli(['logs', String(jobId), '--attempt', '2']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe(`ferry: job ${jobId} has attempts 1 to 1, not 2\n`);
  });

  it('says what the API answered, and exits 1, when a request is refused', async () => {
    const unknown = await ferryCli(['sync', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^ferry: \/v1\/connections\/sync answered 404: .+\n$/);
    const anonymous = await ferryCli(['connections'], {});
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/^ferry: \/v1\/workspaces\/get_by_slug answered 401: /);
  });

  it('refuses a malformed command line with exit code 2', async () => {
    expect((await ferryCli(['logs', 'seven'])).code).toBe(2);
    expect((await ferryCli(['sync'])).stderr).toMatch(/sync takes <connectionId>/);
    expect((await ferryCli(['frobnicate'])).code).toBe(2);
    expect(await ferryCli(['help'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^usage: ferry/),
    });
  });

  it('syncs and waits, printing plain progress lines when stderr is not a terminal', async () => {
    const { code, stdout, stderr } = await ferryCli(['sync', connectionId, '--wait']);
    expect(code, stderr).toBe(0);
    const [, jobId, records] = stdout.match(
      /^job (\d+) succeeded: ([\d,]+) records, [\d.]+ (?:B|KB) in \d+:\d\d\n$/,
    )!;
    const { attempts } = await post('/v1/jobs/get', { id: Number(jobId) });
    expect(records).toBe(attempts[0].attempt.recordsSynced.toLocaleString('en-US'));
    expect(stderr).toMatch(new RegExp(`^job ${jobId} (pending|running)`));
    expect(stderr).toMatch(
      new RegExp(`\njob ${jobId} succeeded  attempt 1  ${records} records  .+ rec/s  \\d+:\\d\\d\n$`),
    );

    const jobs = await ferryCli(['jobs', connectionId]);
    expect(jobs.stdout).toMatch(/^JOB +TYPE +STATUS +CREATED +DURATION +ATTEMPTS +RECORDS +BYTES\n/);
    expect(jobs.stdout).toMatch(
      new RegExp(`\n${jobId} +sync +succeeded +[\\d-]+ [\\d:]+ +\\d+:\\d\\d +1 +${records} +`),
    );
  }, 90_000);

  it.skipIf(!hasScript)(
    'draws a live progress bar in place on a terminal',
    async () => {
      const { code, stdout } = await ferryCliOnTerminal(['sync', connectionId, '--wait']);
      expect(code, stdout).toBe(0);
      const frames = stdout.split('\r\u001b[2K').slice(1);
      expect(frames[0]).toMatch(/^▕ *█{4} *▏ job \d+ (pending|running)/);
      expect(frames.at(-1)).toMatch(
        /^▕█{16}▏ job \d+ succeeded {2}attempt 1 {2}[\d,]+ records .+\r?\njob \d+ succeeded: /,
      );
    },
    90_000,
  );
});

describe('ferry audit tail', () => {
  it('prints each event as it is stored, after a log position', async () => {
    const { entries } = await post('/v1/audit/list', { pageSize: 1 });
    const tail = ferryCli(['audit', 'tail', '--after', String(entries[0].position), '--count', '1']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await post('/v1/sources/update', {
      sourceId,
      name: 'fake users, renamed',
      connectionConfiguration: { count: 25, seed: 1 },
    });
    const { code, stdout } = await tail;
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^ +\\d+  \\S+Z  user:ada  ActorUpdated  source-${sourceId}\\n$`));
  });

  it('first prints the last entries of the audit trail, oldest first', async () => {
    const tail = ferryCli(['audit', 'tail', '--lines', '2', '--count', '1']);
    // Changes until the tail has followed one: the first may land before it started to follow.
    let done = false;
    void tail.then(() => {
      done = true;
    });
    for (let n = 0; !done && n < 20; n++) {
      await post('/v1/sources/update', {
        sourceId,
        name: `fake users ${n}`,
        connectionConfiguration: { count: 25 },
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const { code, stdout } = await tail;
    expect(code).toBe(0);
    const positions = stdout
      .trimEnd()
      .split('\n')
      .map((l: string) => Number(l.trim().split(/\s+/)[0]));
    expect(positions).toHaveLength(3);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});
