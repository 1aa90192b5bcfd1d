// Prints the repo-relative directories a workspace package needs at run time, one per line: the package
// itself, the workspace packages it depends on, and the pnpm store entries (node_modules/.pnpm/<entry>)
// reachable from its `dependencies`. scripts/build-images.sh tars exactly these (symlinks kept) as the
// build context of a connector image, so an image holds its runtime closure and nothing else.
// Why symlinks are kept rather than dereferenced: Node refuses to strip types from files whose real path
// lies under node_modules, so workspace packages must stay outside it, as pnpm lays them out.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

const root = realpathSync(process.cwd());
const start = process.argv[2];
if (!start) {
  console.error('usage: node scripts/image-context.ts <package dir, relative to the repo root>');
  process.exit(2);
}

/** The unit a real path belongs to: a pnpm store entry or a workspace package directory. */
function unitOf(realPath: string): string {
  const rel = relative(root, realPath);
  const entry = /^node_modules\/\.pnpm\/([^/]+)\//.exec(rel);
  return entry ? `node_modules/.pnpm/${entry[1]}` : rel;
}

function linkedPackages(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) =>
    name.startsWith('@')
      ? readdirSync(join(dir, name)).map((sub) => join(dir, name, sub))
      : [join(dir, name)],
  );
}

// Type declarations are never loaded at run time; dangling links (an optional dependency not installed) are skipped.
function needed(path: string): boolean {
  return (
    !basename(path).startsWith('.') &&
    !relative(root, path).includes('node_modules/@types/') &&
    existsSync(path)
  );
}

/** A store entry's node_modules holds the package and links to exactly its dependencies. */
function storeDependencies(unit: string): string[] {
  return linkedPackages(join(root, unit, 'node_modules')).filter(needed);
}

function workspaceDependencies(unit: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, unit, 'package.json'), 'utf8'));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies });
  return names.map((name) => join(root, unit, 'node_modules', name)).filter(needed);
}

const seen = new Set<string>();
const queue = [unitOf(realpathSync(join(root, start)))];
for (let unit = queue.shift(); unit !== undefined; unit = queue.shift()) {
  if (seen.has(unit)) continue;
  seen.add(unit);
  const deps = unit.startsWith('node_modules/') ? storeDependencies(unit) : workspaceDependencies(unit);
  for (const dep of deps) queue.push(unitOf(realpathSync(dep)));
}
console.log([...seen].sort().join('\n'));
