import type { PatchOperation } from './json-patch.ts';

/** Longer values are cut: a summary line is for people, the patch beside it has everything. */
const MAX_VALUE = 80;

/** `/syncSchema/streams/0/selected` → `syncSchema.streams[0].selected`; "" is the whole resource. */
export const fieldName = (path: string): string => {
  if (path === '') return '(resource)';
  return path
    .slice(1)
    .split('/')
    .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((name, key) => (/^\d+$/.test(key) ? `${name}[${key}]` : name ? `${name}.${key}` : key), '');
};

const shown = (value: unknown): string => {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
};

/**
 * One line per changed field, for people: `name: "a" → "b"`, `schedule.units: added 2`,
 * `scheduleData: removed`. `valueAt` gives the value a path had before (for replaced and removed fields).
 */
export const summarize = (
  patch: readonly PatchOperation[],
  valueBefore: (path: string) => unknown = () => undefined,
): string[] =>
  patch.map((operation) => {
    const field = fieldName(operation.path);
    if (operation.op === 'add') return `${field}: added ${shown(operation.value)}`;
    const before = valueBefore(operation.path);
    const was = before === undefined ? '' : ` (was ${shown(before)})`;
    if (operation.op === 'remove') return `${field}: removed${was}`;
    return before === undefined
      ? `${field}: changed to ${shown(operation.value)}`
      : `${field}: ${shown(before)} → ${shown(operation.value)}`;
  });

/** The value at a JSON Pointer of `document`, `undefined` when there is none. */
export const valueAt = (document: unknown, path: string): unknown => {
  if (path === '') return document;
  let current: unknown = document;
  for (const raw of path.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};
