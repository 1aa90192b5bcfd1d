import { createLogger } from './log.ts';
import { loadSettings } from './settings.ts';
import { startFerry } from './system.ts';

/** `npm start` (through main.ts): the whole system in one process (embedded mode), or the services FERRY_SERVICES names. */
const main = async () => {
  const settings = loadSettings();
  const log = createLogger({ level: settings.LOG_LEVEL, base: { app: 'ferry' } });
  const started = Date.now();
  const ferry = await startFerry(settings, log);
  log.info(
    {
      url: ferry.url,
      services: settings.FERRY_SERVICES,
      dataDir: settings.FERRY_DATA_DIR,
      startupMs: Date.now() - started,
    },
    'Ferry is up',
  );
  if (ferry.url)
    process.stdout.write(
      `Ferry is serving the Airbyte Configuration API at ${ferry.url} (docs: ${ferry.url}/docs) ` +
        `and its web console at ${ferry.url.replace(/\/api$/, '/')}\n`,
    );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await ferry.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
};

/**
 * A start that fails (bad settings, a store or NATS that cannot be reached) says why in one line; the
 * stack is for LOG_LEVEL=debug or trace, where someone is looking for it.
 */
main().catch((error: unknown) => {
  const debugging = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
  const message = error instanceof Error ? error.message : String(error);
  const detail = debugging && error instanceof Error ? `\n${error.stack}` : '';
  process.stderr.write(`ferry: ${message}${detail}\n`);
  process.exit(1);
});
