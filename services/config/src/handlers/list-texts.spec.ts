import { describe, expect, it } from 'vitest';
import { listBodyText, mergedObjectParts } from './list-texts.ts';

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
