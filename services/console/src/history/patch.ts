/** A JSON Patch operation (RFC 6902) as the history and audit endpoints return them, secrets masked. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

const short = (value: unknown): string => {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** `/syncSchema/streams/0/selected` → `syncSchema.streams[0].selected`; "" is the whole resource. */
export const fieldOf = (path: string): string =>
  path === ''
    ? 'the whole resource'
    : path
        .slice(1)
        .split('/')
        .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
        .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
        .join('');

/** One line per operation, for people: "name set to "users"", "schedule removed". */
export const describeChange = (operation: PatchOperation): string => {
  const field = fieldOf(operation.path);
  if (operation.path === '') return operation.op === 'remove' ? 'deleted' : 'created';
  if (operation.op === 'remove') return `${field} removed`;
  if (operation.op === 'add') return `${field} added: ${short(operation.value)}`;
  return `${field} set to ${short(operation.value)}`;
};

/** At most `max` lines describing a patch, and how many more there were. */
export const describePatch = (patch: readonly PatchOperation[], max = 3): string => {
  if (patch.length === 0) return 'no change';
  const lines = patch.slice(0, max).map(describeChange);
  return patch.length > max ? `${lines.join('; ')}; and ${patch.length - max} more` : lines.join('; ');
};
