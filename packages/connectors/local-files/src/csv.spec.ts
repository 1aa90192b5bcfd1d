import { describe, expect, it } from 'vitest';
import { csvField, csvFormat } from './format.ts';
import { parseCsv, parseCsvText } from './csv-parse.ts';

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, embedded line breaks, CRLF, empty fields and a BOM', async () => {
    const text = '\ufeffa,b,c\r\n1,"x, ""y""","multi\nline"\n,,\n\n"",z,"end"';
    expect(await parseCsvText(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, "y"', 'multi\nline'],
      ['', '', ''],
      ['', 'z', 'end'],
    ]);
  });

  it('gives the same rows however the input is split, including inside multibyte characters', async () => {
    const text = 'name,note\n"Zoë ✓","he said ""hi""\r\nbye"\nplain,𝄞 clef\n';
    const expected = await parseCsvText(text);
    const bytes = Buffer.from(text);
    for (let i = 1; i < bytes.length; i++) {
      const rows = [];
      for await (const r of parseCsv([bytes.subarray(0, i), bytes.subarray(i)])) rows.push(r);
      expect(rows).toEqual(expected);
    }
  });

  it('rejects a quoted field left open at the end', async () => {
    await expect(parseCsvText('a,"open\n')).rejects.toThrow(/unterminated/);
  });

  it('reads back what the CSV destination writes', async () => {
    const data = { s: 'a,"b"\nc', n: 1 };
    const rows = await parseCsvText(csvFormat.header! + csvFormat.line('id-1', 5, JSON.stringify(data)));
    expect(rows).toEqual([
      ['_airbyte_ab_id', '_airbyte_emitted_at', '_airbyte_data'],
      ['id-1', '5', JSON.stringify(data)],
    ]);
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a\rb')).toBe('"a\rb"');
  });
});
