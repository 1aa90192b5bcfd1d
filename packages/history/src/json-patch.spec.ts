import { SECRET_MASK } from '@ferry/secrets';
import { describe, expect, it } from 'vitest';
import { applyPatch, jsonPatch } from './json-patch.ts';
import { changesBetween } from './resource-model.ts';
import { fieldName, summarize, valueAt } from './summary.ts';

const sealed = (text: string) => ({ _ferry_sealed: `v2:k1:${text}` });

describe('jsonPatch', () => {
  it('is empty for equal documents, whatever their key order', () => {
    expect(jsonPatch({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('adds the whole document from nothing and removes it to nothing', () => {
    expect(jsonPatch(null, { a: 1 })).toEqual([{ op: 'add', path: '', value: { a: 1 } }]);
    expect(jsonPatch({ a: 1 }, null)).toEqual([{ op: 'remove', path: '' }]);
  });

  it('names each changed field by its JSON Pointer, escaping ~ and /', () => {
    const patch = jsonPatch(
      { name: 'a', 'x/y': 1, 'm~n': 1, gone: true },
      { name: 'b', 'x/y': 2, 'm~n': 1, added: 3 },
    );
    expect(patch).toEqual([
      { op: 'remove', path: '/gone' },
      { op: 'replace', path: '/name', value: 'b' },
      { op: 'replace', path: '/x~1y', value: 2 },
      { op: 'add', path: '/added', value: 3 },
    ]);
  });

  it('walks arrays by index, adding at the end and removing from the end', () => {
    expect(jsonPatch({ s: [1, 2, 3] }, { s: [1, 5] })).toEqual([
      { op: 'replace', path: '/s/1', value: 5 },
      { op: 'remove', path: '/s/2' },
    ]);
    expect(jsonPatch({ s: [1] }, { s: [1, 2, 3] })).toEqual([
      { op: 'add', path: '/s/1', value: 2 },
      { op: 'add', path: '/s/2', value: 3 },
    ]);
  });

  it('gives back the later document when applied to the earlier one', () => {
    const pairs: [unknown, unknown][] = [
      [
        { a: [1, { b: 2 }, 3], c: 'x' },
        { a: [{ b: 3 }], d: null },
      ],
      [{ a: [] }, { a: [[1], [2, 3]] }],
      [null, { a: 1 }],
      [{ a: 1 }, null],
      [{ nested: { deep: { deeper: [1, 2] } } }, { nested: { deep: { deeper: [2, 1, 0] } } }],
    ];
    for (const [before, after] of pairs) expect(applyPatch(before, jsonPatch(before, after))).toEqual(after);
  });
});

describe('changesBetween', () => {
  it('shows a secret set again as replaced by the mask, never its sealed value', () => {
    const before = { connectionConfiguration: { host: 'a', password: sealed('one') } };
    const after = { connectionConfiguration: { host: 'b', password: sealed('two') } };
    expect(changesBetween(before, after)).toEqual([
      { op: 'replace', path: '/connectionConfiguration/host', value: 'b' },
      { op: 'replace', path: '/connectionConfiguration/password', value: SECRET_MASK },
    ]);
  });

  it('says nothing of a secret kept as it was, and masks the secrets of a whole new document', () => {
    const doc = { connectionConfiguration: { password: sealed('one') } };
    expect(changesBetween(doc, structuredClone(doc))).toEqual([]);
    expect(JSON.stringify(changesBetween(null, doc))).not.toContain('_ferry_sealed');
  });
});

describe('summaries', () => {
  it('say one line per changed field, with the value before and after', () => {
    const before = { name: 'old', schedule: { units: 1 }, syncSchema: { streams: [{ selected: true }] } };
    const after = {
      name: 'new',
      schedule: { units: 1, timeUnit: 'hours' },
      syncSchema: { streams: [{ selected: false }] },
    };
    const patch = jsonPatch(before, after);
    expect(summarize(patch, (path) => valueAt(before, path))).toEqual([
      'name: "old" → "new"',
      'schedule.timeUnit: added "hours"',
      'syncSchema.streams[0].selected: true → false',
    ]);
  });

  it('name the whole resource and cut long values', () => {
    expect(fieldName('')).toBe('(resource)');
    const [line] = summarize([{ op: 'add', path: '/x', value: 'y'.repeat(200) }]);
    expect(line!.length).toBeLessThan(100);
  });
});
