import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { prettyLine } from './log.ts';

const jsonLines = (write: (log: ReturnType<typeof pino>) => void) => {
  const lines: string[] = [];
  write(pino({ level: 'debug', base: { app: 'ferry' } }, { write: (line: string) => void lines.push(line) }));
  return lines;
};

describe('the log on a terminal', () => {
  it('is one readable line per entry: time, level, service, message, then the other fields', () => {
    const [line] = jsonLines((log) =>
      log
        .child({ service: 'jobs' })
        .info({ requestId: 'r-1', jobId: 7, reason: 'no runner' }, 'sync started'),
    );
    expect(prettyLine(line!, false)).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[jobs\] sync started requestId=r-1 jobId=7 reason="no runner"\n$/,
    );
  });

  it('shows an error’s stack under its line, and colors the level', () => {
    const [line] = jsonLines((log) => log.error({ err: new Error('disk full') }, 'background failure'));
    const pretty = prettyLine(line!, true);
    expect(pretty).toContain('\x1b[31mERROR\x1b[0m');
    expect(pretty).toMatch(/background failure\n {4}.*Error: disk full\n {4}.*at /);
  });

  it('keeps a line that is not JSON as it is', () => {
    expect(prettyLine('plain text', false)).toBe('plain text\n');
  });
});
