export { startFerry, type RunningFerry } from './system.ts';
export { loadSettings, type Settings } from './settings.ts';
export { openStores } from './stores.ts';
export { EVENTS_READER, natsServerConfig, passwordVariable, sampleUsers } from './nats-server-config.ts';
