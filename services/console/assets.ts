import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the console's build lands (`build.ts`) and the gateway serves it from. */
export const consoleAssetsDir = fileURLToPath(new URL('./dist', import.meta.url));

/** Whether a build is there to serve: a checkout nobody started or tested yet has none. */
export const consoleIsBuilt = (dir = consoleAssetsDir): boolean => existsSync(`${dir}/index.html`);
