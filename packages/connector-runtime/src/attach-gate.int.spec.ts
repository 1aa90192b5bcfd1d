import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ATTACH_GATE_ENV, ATTACH_GATE_OPEN } from './attach-gate.ts';

/** A connector stand-in: says it started, echoes stdin, and reports whether its own children would wait. */
const PROGRAM = `process.stdout.write('started ' + (process.env.NODE_OPTIONS ?? 'no-gate') + '\\n');
process.stdin.pipe(process.stdout);`;

describe('the attach gate (kubernetes runtime)', () => {
  it('holds a Node program until the first newline, then gives it the rest of stdin untouched', async () => {
    const child = spawn(process.execPath, ['-e', PROGRAM], { env: { ...process.env, ...ATTACH_GATE_ENV } });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    await sleep(500);
    expect(output).toBe(''); // nothing before the gate opens, however long that takes
    child.stdin.write(Buffer.concat([ATTACH_GATE_OPEN, Buffer.from('first\nsecond')]));
    child.stdin.end();
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output).toBe('started no-gate\nfirst\nsecond');
  });

  it('lets a program go when stdin ends without the newline', async () => {
    const child = spawn(process.execPath, ['-e', PROGRAM], { env: { ...process.env, ...ATTACH_GATE_ENV } });
    child.stdin.end();
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    expect((await once(child, 'exit'))[0]).toBe(0);
    expect(Buffer.concat(chunks).toString()).toBe('started no-gate\n');
  });
});
