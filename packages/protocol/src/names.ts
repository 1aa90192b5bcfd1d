import path from 'node:path';

/**
 * Airbyte's cleaned name: accents stripped, then every character outside `[A-Za-z0-9_]` replaced with `_`
 * (`public.id_and_name` → `public_id_and_name`). Used for stream names in the API and for destination tables
 * and files, so both sides agree.
 */
export function cleanedName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9_]/g, '_');
}

/** Where Airbyte's `/local` mount lives on this machine. */
export const DEFAULT_LOCAL_ROOT = '/tmp/airbyte_local';
export const LOCAL_MOUNT = '/local';

export function localRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOCAL_ROOT || DEFAULT_LOCAL_ROOT;
}

export type LocalPath = { ok: true; path: string } | { ok: false; reason: string };

export interface ResolveLocalPathOptions {
  /** Root directory that `/local` maps to; defaults to env LOCAL_ROOT, else /tmp/airbyte_local. */
  root?: string;
  /** Accept paths without the `/local` prefix as relative to the root (source-file does, destinations don't). */
  allowRelative?: boolean;
}

/**
 * Maps a connector path under `/local` to the real directory behind it, the way Airbyte mounts the host's
 * local root into connector containers. Paths that leave the root (`/local/../etc`) or lie elsewhere are
 * refused, so a configuration cannot read or write arbitrary files on the host.
 */
export function resolveLocalPath(p: string, options: ResolveLocalPathOptions = {}): LocalPath {
  const root = path.resolve(options.root ?? localRoot());
  let rest: string;
  if (p === LOCAL_MOUNT || p.startsWith(`${LOCAL_MOUNT}/`)) rest = p.slice(LOCAL_MOUNT.length);
  else if (options.allowRelative && !path.isAbsolute(p)) rest = p;
  else return { ok: false, reason: `path must start with ${LOCAL_MOUNT}: ${p}` };
  const resolved = path.resolve(root, `.${path.sep}${rest}`);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) {
    return { ok: false, reason: `path leaves ${LOCAL_MOUNT}: ${p}` };
  }
  return { ok: true, path: resolved };
}
