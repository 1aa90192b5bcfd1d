import { describe, expect, it } from 'vitest';
import { cleanedName, localRoot, resolveLocalPath } from './names.ts';

describe('cleanedName', () => {
  it.each([
    ['public.id_and_name', 'public_id_and_name'],
    ['Crème Brûlée-2', 'Creme_Brulee_2'],
    ['a b/c', 'a_b_c'],
    ['ok_Name9', 'ok_Name9'],
  ])('%s → %s', (name, cleaned) => expect(cleanedName(name)).toBe(cleaned));
});

describe('resolveLocalPath', () => {
  const root = '/srv/airbyte_local';
  it('maps /local to the root', () => {
    expect(resolveLocalPath('/local/out/x', { root })).toEqual({
      ok: true,
      path: '/srv/airbyte_local/out/x',
    });
    expect(resolveLocalPath('/local', { root })).toEqual({ ok: true, path: root });
  });

  it('refuses paths outside /local or escaping it', () => {
    for (const p of ['/tmp/x', '/localfoo', 'out/x', '/local/../etc/passwd']) {
      expect(resolveLocalPath(p, { root })).toMatchObject({ ok: false });
    }
  });

  it('accepts relative paths only when asked', () => {
    expect(resolveLocalPath('in/a.csv', { root, allowRelative: true })).toEqual({
      ok: true,
      path: `${root}/in/a.csv`,
    });
    expect(resolveLocalPath('../a.csv', { root, allowRelative: true })).toMatchObject({ ok: false });
    expect(resolveLocalPath('/etc/passwd', { root, allowRelative: true })).toMatchObject({ ok: false });
  });

  it('takes the root from LOCAL_ROOT, else /tmp/airbyte_local', () => {
    expect(localRoot({ LOCAL_ROOT: '/x' })).toBe('/x');
    expect(localRoot({})).toBe('/tmp/airbyte_local');
  });
});
