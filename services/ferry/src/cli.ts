import { startAuditTrail } from '@ferry/audit';
import { pino } from 'pino';
import { loadSettings, type Settings } from './settings.ts';
import { openStores } from './stores.ts';
import { startFerry } from './system.ts';

const USAGE = `usage: node services/ferry/src/cli.ts <command>

commands:
  rebuild-read-models   empty every read model and replay the whole event log into it
                        (stop Ferry first: the live services must not project at the same time)

Settings come from the environment, as for \`npm start\` (FERRY_DATA_DIR, EVENTSTORE_URL, MONGODB_URL, ...).
`;

/** The audit trail alone: its relay must not run here, or outside subscribers would miss events. */
const rebuildAuditTrail = async (settings: Settings) => {
  const { events, reads } = await openStores(settings);
  try {
    const trail = await startAuditTrail(events, reads, (error) => {
      throw error;
    });
    await trail.rebuild();
    await trail.stop();
  } finally {
    await events.close();
    await reads.close();
  }
};

/**
 * Rebuilds every read model from the event log: those of the services that own projectors (config and
 * jobs), then the audit trail. The services run on an in-process bus even when NATS_URL is set, so this
 * process never answers requests of a live system.
 */
const rebuildReadModels = async () => {
  const settings = loadSettings({ ...process.env, FERRY_SERVICES: 'config,jobs', NATS_URL: '' });
  const log = pino({ level: settings.LOG_LEVEL, base: { app: 'ferry-cli' } });
  const started = Date.now();
  const ferry = await startFerry(settings, log);
  try {
    await ferry.rebuildReadModels();
  } finally {
    await ferry.stop();
  }
  await rebuildAuditTrail(settings);
  process.stdout.write(`read models rebuilt from the event log in ${Date.now() - started} ms\n`);
};

const commands: Record<string, () => Promise<void>> = { 'rebuild-read-models': rebuildReadModels };

const main = async (args: string[]) => {
  const command = args[0] === undefined ? undefined : commands[args[0]];
  if (!command) {
    process.stderr.write(USAGE);
    return args[0] === 'help' || args[0] === '--help' ? 0 : 2;
  }
  await command();
  return 0;
};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ferry: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
