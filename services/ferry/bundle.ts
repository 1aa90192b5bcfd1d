import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OnResolveArgs, Plugin, PluginBuild } from 'esbuild';

/**
 * `npm start`'s server as a bundle (ADR 0016): main.ts and everything it imports, Ferry's sources and their
 * packages, in a few ESM files under services/ferry/dist/, so a start reads those instead of resolving and
 * type-stripping some 1,500 modules through pnpm's symlinks. `npm start` checks it before each start
 * (scripts/prestart.ts): it builds only when an input changed (a few milliseconds otherwise), and when it
 * cannot build, scripts/ferry starts the unbundled main.ts. By hand: `node services/ferry/bundle.ts`
 * (`--force` rebuilds anyway); FERRY_BUNDLE_DIR puts the bundle elsewhere.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(root, 'services/ferry/src/main.ts');
export const bundleDir = () => resolve(process.env.FERRY_BUNDLE_DIR ?? join(root, 'services/ferry/dist'));
/** The bundle's entry point, what scripts/ferry starts when the bundle is up to date. */
export const bundleEntry = (dir = bundleDir()) => join(dir, 'main.js');
/** Written last, after a build: every input's path, size and mtime, and the hash of their contents. */
const STAMP = 'inputs.json';

interface Stamp {
  hash: string;
  inputs: { path: string; size: number; mtimeMs: number }[];
}

const describe = (path: string) => {
  const { size, mtimeMs } = statSync(path);
  return { path, size, mtimeMs };
};

const hashOf = (paths: string[]) => {
  const hash = createHash('sha256');
  for (const path of paths) hash.update(path).update('\0').update(readFileSync(path)).update('\0');
  return hash.digest('hex');
};

/**
 * Up to date when every input of the last build is where it was with the same size and mtime (a stat of
 * each, no read), or, when only mtimes moved (a checkout, a `touch`), with the same contents. An import
 * added or removed changes a file that was an input, so the inputs of the last build are all there is to
 * check. Installed packages are checked through the lockfile alone: their files change only with an
 * install of other versions, which changes it (a stat of ~250 files instead of ~1,500). The lockfile
 * (esbuild's version too) and this file (how it bundles) are inputs.
 */
const upToDate = (dir: string) => {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(join(dir, STAMP), 'utf8')) as Stamp;
    const now = stamp.inputs.map(({ path }) => describe(path));
    if (
      now.every(
        (input, i) => input.size === stamp.inputs[i]!.size && input.mtimeMs === stamp.inputs[i]!.mtimeMs,
      )
    )
      return true;
    if (hashOf(now.map(({ path }) => path)) !== stamp.hash) return false;
    writeFileSync(join(dir, STAMP), JSON.stringify({ hash: stamp.hash, inputs: now }));
    return true;
  } catch {
    return false; // no bundle yet, or an input is gone
  }
};

const posix = (path: string) => path.split(sep).join('/');

/**
 * The bundle's entry points, by the name of the file each becomes: the server (main.ts, then start.ts once
 * the compile cache is on) and the SQLite log writer's worker thread (ADR 0014), which otherwise strips the
 * types of its own modules on the critical path of a first start's first append.
 */
const ENTRIES: Record<string, string> = {
  main: ENTRY,
  start: join(root, 'services/ferry/src/start.ts'),
  'commit-worker': join(root, 'packages/event-store-sqlite/src/commit-worker.ts'),
};
const entryNames = new Map(Object.entries(ENTRIES).map(([name, path]) => [path, name]));

/**
 * Each module's `import.meta.url`, `.dirname` and `.filename` keep naming the module's source file, not the
 * bundle: the connectors' entry points (each connector runs as a process of its own from its sources), the
 * console's files and package.json lookups stay where they are. Written relative to the bundle's own URL,
 * so a moved checkout still finds them. A module's URL of another entry point (`new URL('./commit-worker.ts',
 * import.meta.url)`) names that entry's bundled file instead.
 */
const sourceLocations = (outdir: string): Plugin => ({
  name: 'source-locations',
  setup(build) {
    build.onLoad({ filter: /\.(ts|js|mjs)$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const file = JSON.stringify(posix(relative(outdir, path)));
      const folder = JSON.stringify(posix(relative(outdir, dirname(path))) || '.');
      const located = (what: string) => {
        if (what === 'url') return `new URL(${file}, import.meta.url).href`;
        return `__ferryJoin(import.meta.dirname, ${what === 'dirname' ? folder : file})`;
      };
      // A quoted string on one line is matched first and kept as it is: `import.meta` inside one is text
      // (connector-bundle.ts writes it into the banner of connectors' own bundles), not this module's.
      const contents = text.replace(
        /(['"])(?:\\.|(?!\1)[^\\\n])*\1|new URL\((['"])(\.[^'"]+)\2, import\.meta\.url\)|\bimport\.meta\.(url|dirname|filename)\b/g,
        (match, quoted, _quote, target: string | undefined, what: string | undefined) => {
          if (quoted) return match;
          if (!target) return located(what!);
          const entry = entryNames.get(resolve(dirname(path), target));
          return entry
            ? `new URL('./${entry}.js', import.meta.url)`
            : match.replace('import.meta.url', located('url'));
        },
      );
      return { contents, loader: path.endsWith('.ts') ? 'ts' : 'js', resolveDir: dirname(path) };
    });
  },
});

/** A relative specifier from the bundle's directory, as require and import take it. */
const fromBundle = (outdir: string, path: string) => {
  const specifier = posix(relative(outdir, path));
  return specifier.startsWith('.') ? specifier : `./${specifier}`;
};

/**
 * How esbuild would resolve `args` without the calling plugin: marked `resolving` so that the plugins'
 * own onResolve callbacks let it pass instead of asking again.
 */
const resolveAsUsual = (build: PluginBuild, args: OnResolveArgs) =>
  build.resolve(args.path, {
    kind: args.kind,
    importer: args.importer,
    resolveDir: args.resolveDir,
    pluginData: 'resolving',
  });

/**
 * What cannot be bundled stays outside, required when (and if) the code asks for it, as without a bundle:
 * packages that are not installed, such as Nest's optional transports and peers (kafkajs, mqtt, grpc,
 * ioredis, class-validator, …) that it loads only when a configuration uses them; and native addons
 * (`.node`, built or not: ssh2's optional cpu-features), required from where they are.
 */
const outsideStayOptional = (outdir: string): Plugin => ({
  name: 'outside-stay-optional',
  setup(build) {
    build.onResolve({ filter: /\.node$/ }, ({ path, resolveDir }) => ({
      path: fromBundle(outdir, resolve(resolveDir, path)),
      external: true,
    }));
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.path.startsWith('node:')) return undefined;
      const found = await resolveAsUsual(build, args);
      if (found.errors.length > 0) return { path: args.path, external: true };
      return { path: found.path, external: found.external, sideEffects: found.sideEffects };
    });
  },
});

/**
 * Ferry's dynamic imports stay lazy: each is left to load, when asked for, from where it is, unbundled (dockerode,
 * the NATS client, the PostgreSQL, MongoDB and EventStoreDB stores, the Kubernetes runtime): a start loads
 * none of them, as without the bundle. The one exception is main.ts's import of start.ts, the bundle's second
 * entry point, which main.ts loads once Node's compile cache is on. (esbuild's code splitting would keep them
 * lazy inside the bundle, but its chunks do not keep the order in which modules run: Nest's decorators ran
 * before reflect-metadata was loaded.)
 */
const lazyStaysOutside = (outdir: string): Plugin => ({
  name: 'lazy-stays-outside',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === 'resolving') return undefined;
      // A package's own dynamic imports (Nest's of @nestjs/microservices) are bundled: one copy of each module.
      if (args.importer.includes(`${sep}node_modules${sep}`)) return undefined;
      if (args.importer === ENTRY) return { path: './start.js', external: true };
      const found = await resolveAsUsual(build, args);
      if (found.errors.length > 0 || found.external) return { path: args.path, external: true };
      return { path: fromBundle(outdir, found.path), external: true };
    });
  },
});

/**
 * Node's built-in modules are required, not imported: an ESM import of one builds its ESM facade, which
 * reads every export, lazy ones too (node:http's pull in the whole of undici, Node's fetch, at every start).
 */
const builtinsRequired: Plugin = {
  name: 'builtins-required',
  setup(build) {
    build.onResolve({ filter: /^[a-z:_/0-9]+$/ }, ({ path, kind }) =>
      kind === 'import-statement' && isBuiltin(path) ? { path, namespace: 'builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(path)});`,
      loader: 'js',
    }));
  },
};

export interface ServerBundle {
  built: boolean;
  ms: number;
  dir: string;
}

/**
 * Builds into a directory of its own and swaps it in, so a server starting from the old bundle never reads
 * half of the new one.
 */
export const ensureServerBundle = async (
  options: { force?: boolean; dir?: string } = {},
): Promise<ServerBundle> => {
  const started = Date.now();
  const dir = options.dir ?? bundleDir();
  if (!options.force && upToDate(dir)) return { built: false, ms: Date.now() - started, dir };
  const { build } = await import('esbuild');
  const staging = `${dir}.${process.pid}-${Date.now()}`;
  try {
    const result = await build({
      entryPoints: ENTRIES,
      outdir: staging,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      absWorkingDir: root,
      metafile: true,
      logLevel: 'error',
      // CommonJS packages inside an ESM file still call require (Node's built-ins, optional peers).
      banner: {
        js:
          "import { createRequire as __ferryCreateRequire } from 'node:module';\n" +
          "import { join as __ferryJoin } from 'node:path';\n" +
          'const require = __ferryCreateRequire(import.meta.url);',
      },
      plugins: [builtinsRequired, lazyStaysOutside(dir), sourceLocations(dir), outsideStayOptional(dir)],
    });
    const inputs = Object.keys(result.metafile.inputs)
      .filter((input) => !input.includes(':') && !input.split('/').includes('node_modules'))
      .map((input) => resolve(root, input))
      .concat(join(root, 'pnpm-lock.yaml'), fileURLToPath(import.meta.url))
      .sort();
    const stamp: Stamp = { hash: hashOf(inputs), inputs: inputs.map(describe) };
    writeFileSync(join(staging, STAMP), JSON.stringify(stamp));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { built: true, ms: Date.now() - started, dir };
};

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  ensureServerBundle({ force: process.argv.includes('--force') }).then(
    ({ built, ms, dir }) => {
      if (built)
        process.stderr.write(`ferry: server bundle built in ${ms} ms (${relative(process.cwd(), dir)})\n`);
    },
    (error: unknown) => {
      process.stderr.write(`ferry: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
