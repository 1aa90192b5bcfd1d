/**
 * The process runtime may start a connector's process ahead of its run (ADR 0027): the connector's code is
 * loaded and evaluated first, and the run's command line comes later. Its host holds a promise here that
 * settles once `process.argv` is the run's; `runConnector` waits for it before it reads its command. A
 * connector started the ordinary way finds nothing here and goes on at once.
 *
 * A registered symbol, not a module's own: the connector's bundle carries its own copy of this module.
 */
const GATE = Symbol.for('ferry.connector.invocation');

type Gated = { [GATE]?: Promise<void> };

/** The host's side: the connector's command waits until `arrived` settles. */
export function holdInvocation(arrived: Promise<void>): void {
  (globalThis as Gated)[GATE] = arrived;
}

/** The connector's side: settles once its run's command line is in place (at once when not held). */
export const invocationArrived = (): Promise<void> | undefined => (globalThis as Gated)[GATE];
