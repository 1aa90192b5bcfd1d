import type { AirbyteMessage, ParsedLine } from '@ferry/protocol';
import type { AttemptLog } from '../attempt-log.ts';

export type Side = 'source' | 'destination';

/** Longest piece of a noise line kept in the log: a connector printing a binary blob must not flood it. */
const NOISE_PREVIEW = 2000;

/** A line that is no message: logged under its side, never fatal (the protocol allows any output). */
export const logNoise = (log: AttemptLog, side: Side, line: Extract<ParsedLine, { kind: 'noise' }>) =>
  log.write(side, `${line.line.slice(0, NOISE_PREVIEW)} (${line.reason})`);

/** A message that carries no data for the other side: LOG lines keep their level, anything else is noted. */
export const logMessage = (log: AttemptLog, side: Side, message: AirbyteMessage) => {
  if (message.type === 'LOG') log.write(`${side} ${message.log.level}`, message.log.message);
  else if (message.type === 'TRACE' && message.trace.error)
    log.write(`${side} TRACE ERROR`, message.trace.error.message);
  else log.write(side, `ignored a ${message.type} message`);
};

/** The runtime's stderr callback for one side. */
export const stderrOf = (log: AttemptLog, side: Side) => (line: string) => log.write(`${side} stderr`, line);
