import { relative } from 'node:path';
import { ensureConsoleBuilt } from '../services/console/build.ts';
import { consoleAssetsDir } from '../services/console/assets.ts';
import { ensureServerBundle } from '../services/ferry/bundle.ts';

/**
 * `npm start`'s builds, each only when its inputs changed, in one Node process (a Node start is ~0.1 s of
 * CPU): the web console (services/console/build.ts) and the server's bundle (services/ferry/bundle.ts, ADR
 * 0016). A console that cannot be built does not stop the API (the gateway's page at / says it is missing).
 * Exits 0 when the bundle is ready to start, 1 when scripts/ferry must start the unbundled main.ts.
 */
const say = (line: string) => process.stderr.write(`${line}\n`);
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

const [assets, server] = await Promise.allSettled([ensureConsoleBuilt(), ensureServerBundle()]);
if (assets.status === 'rejected')
  say(`ferry: the web console could not be built (${reason(assets.reason)}); the API runs without it`);
else if (assets.value.built)
  say(`console: built in ${assets.value.ms} ms (${relative(process.cwd(), consoleAssetsDir)})`);
if (server.status === 'rejected') {
  say(`ferry: the server bundle could not be built: ${reason(server.reason)}`);
  process.exit(1);
}
if (server.value.built)
  say(`ferry: server bundle built in ${server.value.ms} ms (${relative(process.cwd(), server.value.dir)})`);
