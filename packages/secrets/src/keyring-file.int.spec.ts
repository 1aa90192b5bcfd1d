import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { secretKeyOf } from './keyring.ts';
import { openKeyringFile } from './keyring-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'ferry-keyring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a keyring file', () => {
  it('is made once with one key, readable by this user only, and read alike by every opener', () => {
    const path = join(dir, 'not-made-yet', 'made.key');
    const first = openKeyringFile(path);
    const second = openKeyringFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first.all()).toHaveLength(1);
    expect(second.current().id).toBe(first.current().id);
  });
  it('shows a rotation to every opener while they run: a new current key, then the old ones retired', () => {
    const path = join(dir, 'rotated.key');
    const rotator = openKeyringFile(path);
    const replica = openKeyringFile(path);
    const old = replica.current();
    const added = rotator.addCurrent(randomBytes(32));
    expect(replica.current().id).toBe(added.id);
    expect(replica.find(old.id)).toBeDefined();
    expect(rotator.retireOthers().map((k) => k.id)).toEqual([old.id]);
    expect(replica.find(old.id)).toBeUndefined();
    expect(replica.all().map((k) => k.id)).toEqual([added.id]);
    expect(secretKeyOf(Buffer.from(readFileSync(path, 'utf8').trim(), 'hex')).id).toBe(added.id);
  });
});
