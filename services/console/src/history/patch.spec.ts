import { describe, expect, it } from 'vitest';
import { describeChange, describePatch, fieldOf } from './patch.ts';

describe('changes in words', () => {
  it('names fields as paths people read', () => {
    expect(fieldOf('/syncSchema/streams/0/selected')).toBe('syncSchema.streams[0].selected');
    expect(fieldOf('/a~1b')).toBe('a/b');
  });

  it('describes each kind of change and a long patch briefly', () => {
    expect(describeChange({ op: 'replace', path: '/name', value: 'users' })).toBe('name set to "users"');
    expect(describeChange({ op: 'remove', path: '/schedule' })).toBe('schedule removed');
    expect(describeChange({ op: 'add', path: '', value: {} })).toBe('created');
    const patch = [1, 2, 3, 4, 5].map((n) => ({ op: 'replace' as const, path: `/f${n}`, value: n }));
    expect(describePatch(patch)).toBe('f1 set to 1; f2 set to 2; f3 set to 3; and 2 more');
    expect(describePatch([])).toBe('no change');
  });
});
