import { createHash } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleAssetsDir } from './assets.ts';

/**
 * Builds the console when its inputs changed since the last build, so `npm start` and `npm test` on a fresh
 * clone build it by themselves and cost a few milliseconds afterwards. Run as `node services/console/build.ts`
 * (`--force` rebuilds anyway).
 */

const root = fileURLToPath(new URL('.', import.meta.url));
const STAMP = '.build-hash';
const SKIP = new Set(['node_modules', 'dist']);

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !SKIP.has(entry.name) && !entry.name.startsWith('dist.'))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(path) : [path];
    })
    .sort();

/** Each installed dependency's real path names its version (pnpm's store layout), so an upgrade rebuilds. */
const dependencyVersions = (): string[] => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  // All of them are build-time only (devDependencies): the gateway serves the output, not these packages.
  return Object.keys(manifest.devDependencies).map((name) => {
    const path = join(root, 'node_modules', name);
    return `${name}=${existsSync(path) ? relative(root, realpathSync(path)) : 'missing'}`;
  });
};

/** The hash of every input of the build: the console's files (tests and all) and its dependencies. */
export const consoleSourceHash = (): string => {
  const hash = createHash('sha256');
  for (const file of filesUnder(root))
    hash.update(relative(root, file)).update('\0').update(readFileSync(file));
  for (const line of dependencyVersions()) hash.update(line).update('\0');
  return hash.digest('hex');
};

const stampOf = (dir: string) => {
  try {
    return readFileSync(join(dir, STAMP), 'utf8');
  } catch {
    return null;
  }
};

export interface ConsoleBuild {
  built: boolean;
  ms: number;
}

/**
 * Builds into a directory of its own, then swaps it in, so a gateway serving the old build never sees half
 * of the new one and two builders at once cannot mix their files.
 */
export const ensureConsoleBuilt = async (options: { force?: boolean } = {}): Promise<ConsoleBuild> => {
  const started = Date.now();
  const hash = consoleSourceHash();
  if (!options.force && stampOf(consoleAssetsDir) === hash) return { built: false, ms: Date.now() - started };
  const { build } = await import('vite');
  const staging = `${consoleAssetsDir}.${process.pid}-${Date.now()}`;
  // Vite keeps a NODE_ENV it finds (vitest sets `test`), which would make a development bundle: JSX with
  // file names and line numbers, twice the size. The build is always for production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(root, 'vite.config.ts'), mode: 'production', build: { outDir: staging } });
    writeFileSync(join(staging, STAMP), hash);
    rmSync(consoleAssetsDir, { recursive: true, force: true });
    renameSync(staging, consoleAssetsDir);
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    rmSync(staging, { recursive: true, force: true });
  }
  return { built: true, ms: Date.now() - started };
};

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  ensureConsoleBuilt({ force: process.argv.includes('--force') }).then(
    ({ built, ms }) => {
      if (built)
        process.stderr.write(`console: built in ${ms} ms (${relative(process.cwd(), consoleAssetsDir)})\n`);
    },
    (error: unknown) => {
      process.stderr.write(`console: the build failed: ${error instanceof Error ? error.message : error}\n`);
      process.exit(1);
    },
  );
}
