import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ApiError, createApi } from './cli/api.ts';
import { listConnections, listJobs, showLogs, syncConnection, type CliIo } from './cli/commands.ts';

const USAGE = `usage: ferry <command> [options]       (npm run ferry -- <command> ...)

commands:
  connections [--workspace <id>]   list connections: id, name, status, schedule, source → destination
  sync <connectionId> [--wait]     start a sync; --wait follows it with live progress and exits 0 once it
                                   succeeded, 1 when it failed or was cancelled
  jobs <connectionId>              the connection's syncs and resets, newest first
  logs <jobId> [--attempt <n>]     the log of a job's attempt (the last one, or attempt n counting from 1)
  audit tail [--after <position>] [--lines <n>] [--count <n>]
                                   the events as they are stored, one line each (position, time, actor,
                                   type, stream); first the last n entries of the audit trail (default 10),
                                   or from just after a log position; --count stops after n events
  rebuild-read-models              empty every read model and replay the whole event log into it
                                   (stop Ferry first: the live services must not project at the same time)
  rotate-secret-key                seal every stored connector secret again under a new key, while Ferry
                                   runs; the old key opens them until it is retired at the end
  help                             this text

The HTTP commands talk to FERRY_URL (default http://localhost:8001/api), with HTTP Basic credentials from
FERRY_AUTH_USER and FERRY_AUTH_PASSWORD when both are set. rebuild-read-models reads the settings of
\`npm start\` (FERRY_DATA_DIR, FERRY_EVENT_STORE_URL, FERRY_READ_STORE_URL, ...), and so does
rotate-secret-key (FERRY_SECRET_KEY too).
`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Values = Readonly<Record<string, unknown>>;
interface Command {
  /** Names of the required positional arguments, for the error message. */
  args: readonly string[];
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: string[], values: Values, io: CliIo): Promise<number>;
}

const api = () => createApi(process.env);

const wholeNumber = (name: string, text: string | undefined, min: number) => {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(`${name} must be a whole number from ${min}, not "${text}"`);
  }
  return Number(text);
};

const commands: Record<string, Command> = {
  connections: {
    args: [],
    options: { workspace: { type: 'string' } },
    run: (_, values, io) => listConnections(api(), io, values.workspace as string | undefined),
  },
  sync: {
    args: ['connectionId'],
    options: { wait: { type: 'boolean' } },
    run: ([id], values, io) => syncConnection(api(), io, id!, values.wait === true),
  },
  jobs: { args: ['connectionId'], options: {}, run: ([id], _, io) => listJobs(api(), io, id!) },
  logs: {
    args: ['jobId'],
    options: { attempt: { type: 'string' } },
    run: ([id], values, io) => {
      const attempt =
        values.attempt === undefined ? undefined : wholeNumber('--attempt', values.attempt as string, 1);
      return showLogs(api(), io, wholeNumber('jobId', id, 0), attempt);
    },
  },
  audit: {
    args: ['tail'],
    options: { after: { type: 'string' }, lines: { type: 'string' }, count: { type: 'string' } },
    run: async ([sub], values, io) => {
      if (sub !== 'tail') throw new UsageError(`unknown audit command "${sub}" (audit tail)`);
      const { tailAudit } = await import('./cli/audit-tail.ts');
      const number = (name: string, min: number) =>
        values[name] === undefined ? undefined : wholeNumber(`--${name}`, values[name] as string, min);
      return tailAudit(api(), io, {
        after: number('after', 0),
        lines: number('lines', 0) ?? 10,
        count: number('count', 1),
      });
    },
  },
  'rebuild-read-models': {
    args: [],
    options: {},
    // Loaded only here: it starts the services, which the HTTP commands have no need to load.
    run: async () => {
      const { rebuildReadModels } = await import('./cli/rebuild-read-models.ts');
      await rebuildReadModels();
      return 0;
    },
  },
  'rotate-secret-key': {
    args: [],
    options: {},
    run: async (_, __, io) => {
      const { rotateSecretKey } = await import('./cli/rotate-secret-key.ts');
      await rotateSecretKey(io.out);
      return 0;
    },
  },
};

const io: CliIo = {
  out: (text) => process.stdout.write(text),
  progress: {
    isTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns,
    write: (text) => process.stderr.write(text),
  },
};

const main = async (argv: string[]) => {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true });
  if (positionals.length !== command.args.length) {
    const expected = command.args.map((a) => `<${a}>`).join(' ') || 'no arguments';
    throw new UsageError(`${name} takes ${expected}`);
  }
  return command.run(positionals, values, io);
};

// Stop a --wait on Ctrl-C without leaving the live line half drawn; the job itself goes on in Ferry.
process.once('SIGINT', () => {
  process.stderr.write('\nstopped waiting; the job goes on (ferry jobs <connectionId>)\n');
  process.exit(130);
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (usage)
      process.stderr.write(`ferry: ${(error as Error).message}\nrun "ferry help" for the commands\n`);
    else if (error instanceof ApiError) process.stderr.write(`ferry: ${error.message}\n`);
    else process.stderr.write(`ferry: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(usage ? 2 : 1);
  },
);
