import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PluginBuild } from 'esbuild';
import { connectorEnvironment } from './connector-env.ts';

/**
 * CommonJS code in a bundle (pg, mysql2) calls `require` for Node's built-in modules; an ES module has no
 * `require` of its own, so the bundle makes one.
 */
const REQUIRE_SHIM =
  "import { createRequire as __ferryCreateRequire } from 'node:module'; const require = __ferryCreateRequire(import.meta.url);";

/**
 * zod's namespace re-exports the messages of all its 50 languages, half of a connector's bundle (300 of
 * 600 KB), which each run decoded and loaded for nothing: zod configures English itself and no connector
 * picks another language. The bundle keeps English only, so its messages are those from the sources.
 */
const zodInEnglishOnly = {
  name: 'zod-in-english-only',
  setup(build: PluginBuild) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * Bundles a connector's entry point and everything it imports (zod, the protocol, its drivers) into one
 * file in `dir`, named `<name>-<hash of its content>.mjs`, and returns that file's path.
 *
 * A connector process started from its sources resolves and loads about 120 modules through pnpm's
 * symlinks (zod alone is 95) on every run, which cost more CPU than Node's own start; one file costs none
 * of that resolution. The code is the same code, so the connector's messages, files and exit codes are
 * too. Whitespace and syntax are minified (less text to decode on each start); names are kept, so stack
 * traces in a connector's stderr still name its functions.
 */
export async function bundleConnector(entryPoint: string, dir: string, name: string): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    minifyWhitespace: true,
    minifySyntax: true,
    banner: { js: REQUIRE_SHIM },
    plugins: [zodInEnglishOnly],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 32);
  const file = path.join(dir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}-${hash}.mjs`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await ensureOwnDirectory(dir);
  // Written aside and renamed: another Ferry process bundling the same connector may be writing it too, and
  // a process started meanwhile must never run half a file.
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, code, { mode: 0o600 });
  await rename(partial, file);
  return file;
}

/**
 * The default directory is under the shared temporary directory, where another user may have made it
 * first: a bundle written there could be swapped for other code before a connector starts from it. A
 * directory that is not this user's, or that others may write to, is refused (the connector then keeps
 * running from its sources). Where there are no user ids (Windows) there is nothing to compare.
 */
async function ensureOwnDirectory(dir: string): Promise<void> {
  const { uid, mode } = await stat(dir);
  const me = process.getuid?.();
  if (me === undefined) return;
  if (uid !== me || (mode & 0o022) !== 0) {
    throw new Error(
      `${dir} is not this user's own directory (owner ${uid}, mode ${(mode & 0o777).toString(8)}): connectors are not bundled there`,
    );
  }
}

const BUNDLER = path.join(import.meta.dirname, 'bundle-connector-main.ts');

/**
 * The script to start for each connector: its bundle once it is built, its entry point until then. The
 * first run of a connector starts building its bundle and does not wait for it; a bundle that cannot be
 * built leaves the connector running from its sources, which is only slower. A bundle is built once per
 * runtime, so a connector changed on disk is picked up by Ferry's next start.
 *
 * The build runs in a short-lived Node process of its own: esbuild keeps a service process alive beside
 * whoever calls it, which Ferry's process would otherwise carry (and show among its children) until it
 * ends. That process gets a connector's environment, none of Ferry's settings.
 */
export function connectorScripts(dir: string): { scriptOf(entryPoint: string, name: string): string } {
  const scripts = new Map<string, string>();
  return {
    scriptOf(entryPoint, name) {
      const known = scripts.get(entryPoint);
      // A bundle removed meanwhile (a cleaner of the temporary directory) is built again, not started.
      if (known !== undefined && (known === entryPoint || existsSync(known))) return known;
      scripts.set(entryPoint, entryPoint);
      promisify(execFile)(process.execPath, [BUNDLER, entryPoint, dir, name], {
        env: connectorEnvironment(process.env),
      }).then(
        ({ stdout }) => scripts.set(entryPoint, stdout.trim()),
        () => {}, // stays on its entry point (see above)
      );
      return entryPoint;
    },
  };
}
