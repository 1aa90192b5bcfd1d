import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

const LEVELS: Record<number, { name: string; color: number }> = {
  10: { name: 'TRACE', color: 90 },
  20: { name: 'DEBUG', color: 36 },
  30: { name: 'INFO ', color: 32 },
  40: { name: 'WARN ', color: 33 },
  50: { name: 'ERROR', color: 31 },
  60: { name: 'FATAL', color: 35 },
};
/** Fields every line has, or that the line's head shows already. */
const HEAD = new Set(['level', 'time', 'msg', 'app', 'pid', 'hostname', 'service', 'err']);

const paint = (color: number, text: string, colors: boolean) =>
  colors ? `\x1b[${color}m${text}\x1b[0m` : text;
const valueText = (value: unknown) =>
  typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value);

/**
 * One pino JSON line as a person reads it on a terminal: `12:00:01.250 INFO  [config] message key=value`,
 * an error's stack on the lines below. A line that is not JSON is kept as it is.
 */
export const prettyLine = (line: string, colors = true): string => {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line);
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const level = LEVELS[entry.level as number] ?? { name: String(entry.level), color: 0 };
  const time = new Date(entry.time as number).toISOString().slice(11, 23);
  const service = typeof entry.service === 'string' ? ` ${paint(90, `[${entry.service}]`, colors)}` : '';
  const fields = Object.entries(entry)
    .filter(([key]) => !HEAD.has(key))
    .map(([key, value]) => `${paint(90, `${key}=`, colors)}${valueText(value)}`);
  const err = entry.err as { message?: string; stack?: string } | undefined;
  const stack = err
    ? `\n    ${paint(90, err.stack ?? err.message ?? '', colors).replaceAll('\n', '\n    ')}`
    : '';
  const head = `${paint(90, time, colors)} ${paint(level.color, level.name, colors)}${service} ${String(entry.msg ?? '')}`;
  return `${[head, ...fields].join(' ')}${stack}\n`;
};

/** A destination writing each line pretty to `out` (synchronously, as pino's default does). */
export const prettyDestination = (out: NodeJS.WritableStream, colors = true): DestinationStream => ({
  write: (line: string) => void out.write(prettyLine(line, colors)),
});

/**
 * Ferry's logger: JSON lines (for a log collector) unless stdout is a terminal, where a person reads
 * them: then one readable line each, in color.
 */
export const createLogger = (options: LoggerOptions, out: NodeJS.WriteStream = process.stdout): Logger =>
  out.isTTY ? pino(options, prettyDestination(out, !process.env.NO_COLOR)) : pino(options);
