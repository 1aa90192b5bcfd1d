/**
 * A Pod's output before anyone attached to it is lost: Kubernetes starts the container when the Pod starts,
 * and an attach hears only what comes after it. So a connector must not start before the runtime has
 * attached. Ferry's connector images run Node, so the gate is a module Node loads first (through
 * NODE_OPTIONS, nothing in the image changes): it reads stdin up to the first newline, which the runtime
 * sends once attached, then lets the connector start with the rest of stdin untouched. It removes itself
 * from NODE_OPTIONS so the connector's own Node children do not wait too. An image that is not Node ignores
 * NODE_OPTIONS: its output before the attach is lost (deploy/README.md says so).
 */
const GATE = `import { readSync } from 'node:fs';
const byte = Buffer.alloc(1);
const pause = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  let read = 0;
  try { read = readSync(0, byte, 0, 1, null); }
  catch (error) { if (error.code === 'EAGAIN') { Atomics.wait(pause, 0, 0, 10); continue; } throw error; }
  if (read === 0 || byte[0] === 10) break;
}
delete process.env.NODE_OPTIONS;`;

/** The environment variable that makes a Node connector wait for the attach. */
export const ATTACH_GATE_ENV = {
  NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(GATE)}`,
} as const;

/** What the runtime writes to stdin once attached: the gate's newline. */
export const ATTACH_GATE_OPEN = Buffer.from('\n');
