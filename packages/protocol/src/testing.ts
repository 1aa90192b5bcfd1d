import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AirbyteMessage } from './messages.ts';
import { readMessages } from './reader.ts';

export interface ConnectorRun {
  code: number | null;
  messages: AirbyteMessage[];
  noise: string[];
  stderr: string;
}

export interface ConnectorRunInput {
  config?: unknown;
  catalog?: unknown;
  state?: unknown;
  /** Written to the connector's stdin (lines or messages), then stdin is closed. */
  stdin?: (string | AirbyteMessage)[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs a connector program the way the runtime does (a real process, JSON files passed by path, messages on
 * stdout), for the integration tests of the built-in connectors.
 */
export async function runConnectorProcess(
  entryPoint: string,
  command: 'spec' | 'check' | 'discover' | 'read' | 'write',
  input: ConnectorRunInput = {},
): Promise<ConnectorRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ferry-connector-'));
  try {
    const args = [entryPoint, command];
    for (const name of ['config', 'catalog', 'state'] as const) {
      if (input[name] === undefined) continue;
      const file = path.join(dir, `${name}.json`);
      await writeFile(file, JSON.stringify(input[name]));
      args.push(`--${name}`, file);
    }
    const child = spawn(process.execPath, args, { env: { ...process.env, ...input.env } });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Read stdout while feeding stdin, so a connector that answers as it reads never blocks on a full pipe.
    const messages: AirbyteMessage[] = [];
    const noise: string[] = [];
    const reading = (async () => {
      for await (const l of readMessages(child.stdout)) {
        if (l.kind === 'message') messages.push(l.message);
        else noise.push(l.line);
      }
    })();
    child.stdin.on('error', () => {}); // a connector may exit before reading all its input
    const feed = (async () => {
      for (const line of input.stdin ?? []) {
        const text = typeof line === 'string' ? line : JSON.stringify(line);
        if (child.stdin.destroyed) break;
        if (!child.stdin.write(`${text}\n`)) {
          await new Promise((r) => {
            child.stdin.once('drain', r);
            child.stdin.once('close', r);
          });
        }
      }
      child.stdin.end();
    })();
    await feed;
    await reading;
    return { code: await exited, messages, noise, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
