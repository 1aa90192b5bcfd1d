export { startFerry, type RunningFerry } from './system.ts';
export { loadSettings, type Settings } from './settings.ts';
export { openStores } from './stores.ts';
