import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { resealStoredSecrets } from '@ferry/config';
import { createSecretSealer, type Keyring, KEY_BYTES, openKeyringFile } from '@ferry/secrets';
import { keyringFileOf, loadKeyring } from '../secret-key.ts';
import { loadSettings } from '../settings.ts';
import { openStores } from '../stores.ts';

/**
 * How long the older keys stay after the last re-seal. A running process sees another process's appends
 * within its store's poll interval (250 ms on SQLite, at most 1 s on PostgreSQL) and projects them; until
 * then its read models hold values under the older key, and a check or sync that read one just before
 * takes it to the runner, which opens it when the connector starts. Retired at once, such a value found no
 * key (a check failed while `tests/secret-key-rotation.spec.ts` ran on a loaded machine).
 */
const RETIRE_AFTER_MS = 5_000;

const ids = (keys: readonly { id: string }[]) => keys.map((k) => k.id).join(', ') || 'none';

/** Re-seals what the stores hold under the keyring's current key, and says what it did. */
const reseal = async (keyring: Keyring, out: (text: string) => void) => {
  const settings = loadSettings();
  const stores = await openStores(settings);
  try {
    const report = await resealStoredSecrets({
      ...stores,
      sealer: createSecretSealer(keyring),
      onError: (error) => process.stderr.write(`ferry: projecting failed: ${(error as Error).message}\n`),
    });
    out(
      `re-sealed ${report.resealed} of ${report.actors} sources and destinations under key ${keyring.current().id} (${report.passes} passes)\n`,
    );
  } finally {
    await stores.events.close();
    await stores.reads.close();
  }
};

/**
 * `ferry rotate-secret-key`, while Ferry runs, with the settings of `npm start`. With the keyring file of
 * the data directory: a new key becomes current there (every process sharing the directory follows the
 * file, and keeps opening old values with the old keys), every stored secret is re-sealed under it, then
 * the old keys are retired. With FERRY_SECRET_KEY, processes learn keys only from their settings: this
 * re-seals under the first key of the list, and says which keys may then be dropped from it.
 */
export const rotateSecretKey = async (out: (text: string) => void): Promise<void> => {
  const settings = loadSettings();
  if (settings.FERRY_SECRET_KEY) {
    const keyring = loadKeyring(settings.FERRY_SECRET_KEY, settings.FERRY_DATA_DIR);
    await reseal(keyring, out);
    const [, ...older] = keyring.all();
    out(`every secret is sealed under ${keyring.current().id}; unused now: ${ids(older)}\n`);
    return;
  }
  const file = openKeyringFile(keyringFileOf(settings.FERRY_DATA_DIR));
  const added = file.addCurrent(randomBytes(KEY_BYTES));
  out(`new key ${added.id} is current in ${file.path}\n`);
  await reseal(file, out);
  await sleep(RETIRE_AFTER_MS);
  out(`retired ${ids(file.retireOthers())}\n`);
};
