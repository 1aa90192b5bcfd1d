import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces each secret value with `**********`. Values shorter than 3 characters are left alone: masking
 * them would mangle ordinary text and hide nothing worth hiding.
 */
export const scrubberOf = (secrets: readonly string[]) => {
  const usable = secrets.filter((s) => s.length >= 3);
  return (text: string) =>
    usable.reduce((scrubbed, secret) => scrubbed.replaceAll(secret, '**********'), text);
};

/**
 * An attempt's log file. Every line is scrubbed of the configuration's secret values: a connector that
 * prints its password does not put it in our logs. `scrub` does the same for what the runner answers.
 */
export const openAttemptLog = (path: string, secrets: readonly string[]) => {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path, { flags: 'a', mode: 0o600 });
  const scrub = scrubberOf(secrets);
  return {
    write: (source: string, line: string) => {
      out.write(`${new Date().toISOString()} ${source} > ${scrub(line)}\n`);
    },
    scrub,
    close: () => new Promise<void>((resolve) => out.end(resolve)),
  };
};
export type AttemptLog = ReturnType<typeof openAttemptLog>;
