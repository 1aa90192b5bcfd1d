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
  else if (message.type === 'TRACE' && message.trace.stream_status) {
    const { stream_descriptor: d, status } = message.trace.stream_status;
    log.write(side, `stream ${d.namespace ? `${d.namespace}.` : ''}${d.name}: ${status}`);
  } else if (message.type === 'TRACE' && message.trace.estimate) {
    const e = message.trace.estimate;
    const what = e.type === 'SYNC' ? 'the sync' : `stream ${e.name}`;
    log.write(
      side,
      `estimate for ${what}: ${e.row_estimate ?? '?'} records, ${e.byte_estimate ?? '?'} bytes`,
    );
  } else log.write(side, `ignored a ${message.type} message`);
};

/** The runtime's stderr callback for one side. */
export const stderrOf = (log: AttemptLog, side: Side) => (line: string) => log.write(`${side} stderr`, line);
