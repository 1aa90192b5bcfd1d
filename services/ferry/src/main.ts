import { pino } from 'pino';
import { loadSettings } from './settings.ts';
import { startFerry } from './system.ts';

/** `npm start`: the whole system in one process (embedded mode), or the services FERRY_SERVICES names. */
const main = async () => {
  const settings = loadSettings();
  const log = pino({ level: settings.LOG_LEVEL, base: { app: 'ferry' } });
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
      `Ferry is serving the Airbyte Configuration API at ${ferry.url} (docs: ${ferry.url}/docs)\n`,
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

main().catch((error: unknown) => {
  process.stderr.write(`ferry: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
