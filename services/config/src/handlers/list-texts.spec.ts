import { describe, expect, it } from 'vitest';
import { listBodyText, mergedObjectParts, streamedListBodyText } from './list-texts.ts';

const items = [{ a: 1, s: 'é "x" \\ \n' }, { b: [null, { c: true }] }, {}];

describe('a list body joined from its items’ texts', () => {
  it.each([undefined, 'token/+=é'])('is the text JSON.stringify makes of the body (token %j)', (token) => {
    // Items whole and in parts alike.
    const texts = items.map((item, i) =>
      i === 1 ? mergedObjectParts(JSON.stringify(item)) : JSON.stringify(item),
    );
    const text = listBodyText('connections', texts, token).text;
    expect(text).toBe(JSON.stringify({ connections: items, ...(token && { nextPageToken: token }) }));
    expect(listBodyText('sources', []).text).toBe(JSON.stringify({ sources: [] }));
  });

  it('is the same text read a slice at a time, empty slices and a list with no items included', async () => {
    const texts = items.map((item, i) =>
      i === 1 ? mergedObjectParts(JSON.stringify(item)) : JSON.stringify(item),
    );
    const textOf = async (slices: Array<typeof texts>) => {
      const read = async function* () {
        yield* slices;
      };
      let text = '';
      for await (const parts of streamedListBodyText('connections', read()).slices()) text += parts.join('');
      return text;
    };
    const whole = listBodyText('connections', texts).text;
    expect(await textOf([texts.slice(0, 1), [], texts.slice(1)])).toBe(whole);
    expect(await textOf([[], texts.slice(0, 2), texts.slice(2), []])).toBe(whole);
    expect(await textOf([texts])).toBe(whole);
    expect(await textOf([])).toBe(JSON.stringify({ connections: [] }));
    expect(await textOf([[], []])).toBe(JSON.stringify({ connections: [] }));
  });

  it('merges objects as a spread does, empty ones and absent fields included', () => {
    const view = { connectionId: 'c', name: 'n "q"', nested: { x: {} } };
    const activity = { lastSync: undefined, isSyncing: false };
    const merged = mergedObjectParts(
      '{}',
      JSON.stringify(view),
      '{"source":{}}',
      JSON.stringify(activity),
      '{}',
    );
    expect(merged.join('')).toBe(JSON.stringify({ ...view, source: {}, ...activity }));
    expect(mergedObjectParts('{}', '{}').join('')).toBe('{}');
  });
});
