import { describe, expect, it } from 'vitest';
import { recordLine } from './record-line.ts';
import { canonicalDataText } from './record-text.ts';
import { validateMessage } from './validate.ts';

const line = (data: string, emittedAt = '1796195065586', stream = 'users') =>
  `{"type":"RECORD","record":{"stream":"${stream}","data":${data},"emitted_at":${emittedAt}}}`;

/**
 * The one property that matters: a line recordLine reads is a RECORD line that JSON.parse reads to a message
 * that validates as it is, of that stream and emitted_at, whose data JSON.stringify prints as the text it
 * points at, which is the text the runner and destinations took from the line before (canonicalDataText).
 */
function agrees(text: string) {
  const found = recordLine(Buffer.from(text, 'utf8'));
  // The same when the line's newline follows its bytes, as the reader hands it.
  const bytes = Buffer.from(text, 'utf8');
  expect(recordLine(Buffer.concat([bytes, Buffer.from('\n')]), bytes.length)).toEqual(found);
  if (found === undefined) return false;
  const value = JSON.parse(text);
  const checked = validateMessage(value);
  expect(checked.ok && checked.message === value, text).toBe(true);
  expect(value.type).toBe('RECORD');
  expect(value.record.stream).toBe(found.stream);
  expect(value.record.emitted_at).toBe(found.emittedAt);
  const data = text.slice(found.dataStart, found.dataEnd);
  expect(data).toBe(JSON.stringify(value.record.data));
  expect(canonicalDataText(text, value.record.data)).toBe(data);
  return true;
}

describe('recordLine', () => {
  it('reads the lines JSON.stringify prints for a record of canonical ASCII data', () => {
    const values = [
      {},
      { id: 1, name: 'Ada', ok: true, no: false, none: null, price: 12.5, big: -123456789012345 },
      { nested: { a: [1, 'two', { three: [] }], b: {} }, list: [[], [{}]], e: [true, null, -1.5e-7] },
      { tiny: 1e-7, huge: 1e21, neg: -0.5, exact: 1234567890123456, '': 'empty key', k: 'a~ \u007f' },
    ];
    for (const data of values) {
      const text = JSON.stringify({ type: 'RECORD', record: { stream: 's', data, emitted_at: 0 } });
      expect(agrees(text), text).toBe(true);
    }
    expect(agrees(line('{"id":1}', '1796195065586', ''))).toBe(true);
    expect(agrees(line('{"__proto__":{"x":1},"y":2}'))).toBe(true); // a key of its own, printed as such
  });

  it('declines every other line, valid or not: the caller parses it', () => {
    const declined = [
      // Data JSON.stringify would print otherwise.
      line('{ "a":1}'),
      line('{"a":[1, 2]}'),
      line('{"a":1.0}'),
      line('{"a":1e3}'),
      line('{"a":1E+3}'),
      line('{"a":-0}'),
      line('{"a":0.10}'),
      line('{"a":12345678901234567890}'),
      line('{"a":1,"a":2}'),
      line('{"n":{"x":1,"y":{},"x":1}}'),
      line('{"b":1,"1":2}'),
      // Escapes and characters beyond ASCII: left to the parse (and to canonicalDataText).
      line('{"a":"\\n"}'),
      line('{"a":"\\u0041"}'),
      line('{"a":"é"}'),
      line('{"é":1}'),
      line('{"a":1}', '1', 'ü'),
      line('{"a":1}', '1', 's\\"'),
      // Other forms of a valid RECORD.
      ` ${line('{"a":1}')}`,
      `${line('{"a":1}')} `,
      `${line('{"a":1}')}\r`,
      '{"record":{"stream":"s","data":{"a":1},"emitted_at":1},"type":"RECORD"}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":1,"namespace":"n"}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":1},"extra":1}',
      line('{"a":1}', '1.5'),
      line('{"a":1}', '-1'),
      line('{"a":1}', '1e3'),
      line('{"a":1}', '1234567890123456'),
      // Not a RECORD message, or not JSON at all.
      line('[1]'),
      line('"text"'),
      line('{"a":1}', '"soon"'),
      line('{"a":01}'),
      line('{"a":1.}'),
      line('{"a":.5}'),
      line('{"a":-}'),
      line('{"a":1e}'),
      line('{"a":tru}'),
      line('{"a":nul}'),
      line('{"a":[1,]}'),
      line('{"a":1,}'),
      line('{"a"}'),
      line('{"a":"\t"}'),
      line('{a:1}'),
      line('{"a":1}', '01'),
      line('{"a":1}', ''),
      line('{"a":1'),
      `${line('{"a":1}')}}`,
      line('{"a":1}').slice(0, -1),
      '',
    ];
    for (const text of declined) expect(recordLine(Buffer.from(text, 'utf8')), text).toBeUndefined();
  });

  it('reads a decimal as canonical exactly when JSON.stringify prints its number back as written', () => {
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
    const tokens = [
      '0.000001',
      '0.0000001',
      '0.1',
      '-0.5',
      '0.10',
      '1.0',
      '-0.0',
      '123456789012345.6',
      '0.7142857142857143',
    ];
    for (let k = 0; k < 20_000; k++) {
      const whole = rnd() < 0.4 ? '0' : `${1 + Math.floor(rnd() * 9)}${digits(Math.floor(rnd() * 16))}`;
      const fraction = `${'0'.repeat(rnd() < 0.3 ? Math.floor(rnd() * 9) : 0)}${digits(1 + Math.floor(rnd() * 18))}`;
      tokens.push(`${rnd() < 0.3 ? '-' : ''}${whole}.${fraction}`);
      // Doubles as the sources print them: the shortest text of a computed value, up to 17 digits.
      tokens.push(String((rnd() - 0.5) * 10 ** Math.floor(rnd() * 24 - 8)));
    }
    let read = 0;
    for (const token of tokens) {
      const canonical = String(Number(token)) === token;
      expect(agrees(line(`{"x":${token},"y":[${token}]}`)), token).toBe(canonical);
      if (canonical) read++;
    }
    expect(read).toBeGreaterThan(10_000);
  });

  it('leaves data nested deeper than its limit to the parse', () => {
    const deep = (n: number) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`;
    expect(agrees(line(deep(60)))).toBe(true);
    expect(recordLine(Buffer.from(line(deep(100_000))))).toBeUndefined();
  });

  it('agrees with JSON.parse on many generated lines and on every one-byte change of them', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const choose = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const pieces = [
      '1',
      '-1',
      '0',
      '1.5',
      '1.50',
      '2e3',
      '-0',
      '"x"',
      '""',
      '"a b"',
      'true',
      'false',
      'null',
    ];
    const value = (depth: number): string => {
      const r = rnd();
      if (depth > 2 || r < 0.5) return choose(pieces);
      const n = Math.floor(rnd() * 3);
      if (r < 0.75) return `[${Array.from({ length: n }, () => value(depth + 1)).join(',')}]`;
      const keys = ['a', 'b', 'ab', '1', ''];
      return `{${Array.from({ length: n }, () => `"${choose(keys)}":${value(depth + 1)}`).join(',')}}`;
    };
    const bytes = '{}[]",:0123456789.-+eEtrunlfas \\';
    let read = 0;
    let mutants = 0;
    for (let k = 0; k < 3000; k++) {
      const text = line(`{"v":${value(0)},"w":${value(0)}}`, choose(['0', '7', '1796195065586']));
      if (agrees(text)) read++;
      // Replace, insert or delete one byte somewhere: whatever recordLine reads must still agree.
      const at = Math.floor(rnd() * text.length);
      const c = choose([...bytes]);
      const op = rnd();
      const mutant =
        op < 0.4
          ? text.slice(0, at) + c + text.slice(at + 1)
          : op < 0.8
            ? text.slice(0, at) + c + text.slice(at)
            : text.slice(0, at) + text.slice(at + 1);
      let parses = true;
      try {
        JSON.parse(mutant);
      } catch {
        parses = false;
      }
      const found = agrees(mutant);
      expect(found && !parses, mutant).toBe(false);
      if (found) mutants++;
    }
    expect(read).toBeGreaterThan(1000); // the fast path is taken, not just always declined
    expect(mutants).toBeGreaterThan(100);
  });
});
