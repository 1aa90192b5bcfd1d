import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An attempt's log file. Every line passes through `scrub`, which replaces each secret value of the
 * configuration with `**********`: a connector that prints its password does not put it in our logs.
 */
export const openAttemptLog = (path: string, secrets: readonly string[]) => {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path, { flags: 'a', mode: 0o600 });
  const usable = secrets.filter((s) => s.length >= 3);
  const scrub = (line: string) =>
    usable.reduce((text, secret) => text.replaceAll(secret, '**********'), line);
  return {
    write: (source: string, line: string) => {
      out.write(`${new Date().toISOString()} ${source} > ${scrub(line)}\n`);
    },
    close: () => new Promise<void>((resolve) => out.end(resolve)),
  };
};
export type AttemptLog = ReturnType<typeof openAttemptLog>;
