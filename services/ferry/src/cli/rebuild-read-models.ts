import { startAuditTrail } from '@ferry/audit';
import { configResourceModels } from '@ferry/config';
import { pino } from 'pino';
import { loadSettings, type Settings } from '../settings.ts';
import { openStores } from '../stores.ts';
import { startFerry } from '../system.ts';

/** The audit trail alone: its relay must not run here, or outside subscribers would miss events. */
const rebuildAuditTrail = async (settings: Settings) => {
  const { events, reads } = await openStores(settings);
  try {
    const trail = await startAuditTrail(events, reads, configResourceModels, (error) => {
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
export const rebuildReadModels = async () => {
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
