import { describe, expect, it } from 'vitest';
import { documentJson, JsonText } from './json-text.ts';

const catalog = { streams: [{ name: 'users', fields: [{ name: 'a "b" \\ {c}', selected: true }] }] };
const asText = (value: unknown) => new JsonText(JSON.stringify(value));

describe('documentJson', () => {
  it('is JSON.stringify for a document without JsonText', () => {
    const doc = { id: 'd', view: { name: 'x', n: [1, null, { z: 'é' }] }, gone: undefined };
    expect(documentJson(doc)).toBe(JSON.stringify(doc));
  });

  it('writes each JsonText as its text, where the value would be', () => {
    const doc = { id: 'c', view: { syncSchema: catalog, status: 'active' }, outputs: [null, 3, 'x'] };
    const held = {
      id: 'c',
      view: { syncSchema: asText(catalog), status: 'active' },
      outputs: [null, asText(3), asText('x')],
    };
    expect(documentJson(held)).toBe(JSON.stringify(doc));
    expect(documentJson(held)).toBe(JSON.stringify(doc)); // nothing left over from the call before
  });

  it('stays exact when a string of the document spells the marker', () => {
    const marker = '\u0000ferry:json-text\u0000';
    const doc = { id: 'm', name: marker, view: { syncSchema: catalog }, [marker]: 1 };
    const held = { id: 'm', name: marker, view: { syncSchema: asText(catalog) }, [marker]: 1 };
    expect(documentJson(held)).toBe(JSON.stringify(doc));
  });
});
