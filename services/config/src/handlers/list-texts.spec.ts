import { describe, expect, it } from 'vitest';
import { listBodyText, mergedObjectText } from './list-texts.ts';

const items = [{ a: 1, s: 'é "x" \\ \n' }, { b: [null, { c: true }] }, {}];

describe('a list body joined from its items’ texts', () => {
  it.each([undefined, 'token/+=é'])('is the text JSON.stringify makes of the body (token %j)', (token) => {
    const text = listBodyText(
      'connections',
      items.map((item) => JSON.stringify(item)),
      token,
    ).text;
    expect(text).toBe(JSON.stringify({ connections: items, ...(token && { nextPageToken: token }) }));
    expect(listBodyText('sources', []).text).toBe(JSON.stringify({ sources: [] }));
  });

  it('merges objects as a spread does, empty ones and absent fields included', () => {
    const view = { connectionId: 'c', name: 'n "q"', nested: { x: {} } };
    const activity = { lastSync: undefined, isSyncing: false };
    const merged = mergedObjectText(JSON.stringify(view), '{"source":{}}', JSON.stringify(activity), '{}');
    expect(merged).toBe(JSON.stringify({ ...view, source: {}, ...activity }));
    expect(mergedObjectText('{}', '{}')).toBe('{}');
  });
});
