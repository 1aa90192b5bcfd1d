/**
 * What a connector process inherits from the runner's environment: what a program needs to run (where
 * programs and temporary files are, the locale, the time zone), never the runner's own settings. The
 * runner's environment holds FERRY_SECRET_KEY, NATS credentials and store URLs; a connector, which may
 * print its environment into a log or be someone else's code, must see none of them. What a connector
 * needs from Ferry comes in its invocation's own `env` (LOCAL_ROOT, the end-of-input marker).
 */
const INHERITED = /^(PATH|HOME|TMPDIR|TZ|LANG|LANGUAGE|LC_[A-Z]+|SSL_CERT_FILE|SSL_CERT_DIR)$/;

export function connectorEnvironment(from: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(from).filter(
      (entry): entry is [string, string] => INHERITED.test(entry[0]) && entry[1] !== undefined,
    ),
  );
}
