import { AUDIT_COLLECTION, auditEntry } from '@ferry/audit';
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

/** The audit trail's projection name (its checkpoint), as `startAuditTrail` commits it. */
const AUDIT_PROJECTION = 'audit-trail';

/**
 * The audit service fills its trail from the events the relay publishes on the bus, so it has no projector
 * to rebuild: its trail is one entry per stored event, which the log alone gives back, page by page.
 */
const rebuildAuditTrail = async (settings: Settings) => {
  const { events, reads } = await openStores(settings);
  try {
    await reads.reset(AUDIT_PROJECTION, [AUDIT_COLLECTION]);
    for (let from = 0; ; ) {
      const page = await events.readAll({ fromPosition: from, limit: 500 });
      if (page.length === 0) break;
      from = page[page.length - 1]!.position;
      const changes = page.map((event) => ({
        collection: AUDIT_COLLECTION,
        op: 'put' as const,
        doc: auditEntry(event),
      }));
      await reads.commit(AUDIT_PROJECTION, from, changes);
    }
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
