/** One operation of a JSON Patch (RFC 6902); a diff needs only these three. */
export type PatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: unknown };

export interface DiffOptions {
  /** A value compared and replaced as a whole, never walked into (a sealed secret). */
  isLeaf?: (value: unknown) => boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 6901: `~` and `/` in a key are escaped. */
const pointer = (path: string, key: string | number) =>
  `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;

/** Structural equality of JSON values: key order does not matter, array order does. */
export const jsonEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]))
    );
  }
  return false;
};

/**
 * The JSON Patch that turns `before` into `after`. `null` stands for "no document": from nothing the
 * patch adds the whole document (path ""), to nothing it removes it. Objects are compared key by key in
 * `after`'s order, arrays index by index (extra items added at the end, missing ones removed from the end,
 * so every index stays valid while the patch is applied in order); anything else is replaced whole.
 */
export const jsonPatch = (before: unknown, after: unknown, options: DiffOptions = {}): PatchOperation[] => {
  if (before === null && after === null) return [];
  if (before === null) return [{ op: 'add', path: '', value: after }];
  if (after === null) return [{ op: 'remove', path: '' }];
  const patch: PatchOperation[] = [];
  walk(before, after, '', patch, options.isLeaf ?? (() => false));
  return patch;
};

const walk = (
  before: unknown,
  after: unknown,
  path: string,
  patch: PatchOperation[],
  isLeaf: (value: unknown) => boolean,
): void => {
  if (jsonEqual(before, after)) return;
  if (isLeaf(before) || isLeaf(after)) {
    patch.push({ op: 'replace', path, value: after });
    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const key of Object.keys(before))
      if (!Object.hasOwn(after, key)) patch.push({ op: 'remove', path: pointer(path, key) });
    for (const [key, value] of Object.entries(after)) {
      if (Object.hasOwn(before, key)) walk(before[key], value, pointer(path, key), patch, isLeaf);
      else patch.push({ op: 'add', path: pointer(path, key), value });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const common = Math.min(before.length, after.length);
    for (let i = 0; i < common; i++) walk(before[i], after[i], pointer(path, i), patch, isLeaf);
    for (let i = common; i < after.length; i++)
      patch.push({ op: 'add', path: pointer(path, i), value: after[i] });
    for (let i = before.length - 1; i >= common; i--) patch.push({ op: 'remove', path: pointer(path, i) });
    return;
  }
  patch.push({ op: 'replace', path, value: after });
};

/** Applies a patch made by `jsonPatch` (for tests and clients that replay a history); `null`: no document. */
export const applyPatch = (document: unknown, patch: readonly PatchOperation[]): unknown => {
  let root = structuredClone(document);
  for (const operation of patch) {
    if (operation.path === '') {
      root = operation.op === 'remove' ? null : structuredClone(operation.value);
      continue;
    }
    const keys = operation.path
      .slice(1)
      .split('/')
      .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop()!;
    let parent = root as Record<string, unknown>;
    for (const key of keys) parent = parent[key] as Record<string, unknown>;
    if (Array.isArray(parent)) {
      const index = Number(last);
      if (operation.op === 'remove') parent.splice(index, 1);
      else if (operation.op === 'add') parent.splice(index, 0, structuredClone(operation.value));
      else parent[index] = structuredClone(operation.value);
    } else if (operation.op === 'remove') delete parent[last];
    else parent[last] = structuredClone(operation.value);
  }
  return root;
};
