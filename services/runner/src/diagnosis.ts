import type { AirbyteMessage } from '@ferry/protocol';

/** How many of a connector's last stderr lines a failure quotes when it said nothing better. */
const STDERR_TAIL_LINES = 5;
/** Longest quote from a connector in a failure reason. */
const MAX_QUOTE_CHARS = 2000;

/**
 * What a connector said about why it failed, gathered while it runs: its TRACE error (today's protocol),
 * else its last FATAL or ERROR log, else the last lines of its stderr. `why()` quotes the best of them.
 */
export function diagnosis() {
  let traced: string | null = null;
  let logged: string | null = null;
  const tail: string[] = [];
  return {
    message(m: AirbyteMessage): void {
      if (m.type === 'TRACE' && m.trace.type === 'ERROR' && m.trace.error?.message)
        traced = m.trace.error.message;
      else if (m.type === 'LOG' && (m.log.level === 'FATAL' || m.log.level === 'ERROR'))
        logged = m.log.message;
    },
    stderr(line: string): void {
      if (line.trim() === '') return;
      tail.push(line);
      if (tail.length > STDERR_TAIL_LINES) tail.shift();
    },
    /** The connector's own words, or null when it said nothing. */
    why(): string | null {
      const said = traced ?? logged ?? (tail.length > 0 ? tail.join('\n') : null);
      return said === null ? null : said.slice(0, MAX_QUOTE_CHARS);
    },
  };
}
export type Diagnosis = ReturnType<typeof diagnosis>;

/** `<failure>: <the connector's words>`, or the failure alone. */
export const explained = (failure: string, d: Diagnosis) => {
  const why = d.why();
  return why === null ? failure : `${failure}: ${why}`;
};
