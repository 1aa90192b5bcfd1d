import type { AirbyteMessage, ParsedLine } from '@ferry/protocol';
import type { AttemptLog } from '../attempt-log.ts';
import { type Diagnosis, diagnosis } from '../diagnosis.ts';
import { DEFAULT_SYNC_LOG_LIMIT_BYTES, outputLimit } from '../output-limit.ts';
import { logMessage, logNoise, type Side, stderrOf } from './side-log.ts';

/**
 * What the runner watches on one side of a sync besides its data: what the connector says about a failure
 * (its diagnosis) and how much it prints that is not records or states, against a limit whose breach stops
 * the attempt with `stop(reason)`.
 */
export interface SideWatch {
  said: Diagnosis;
  /** A line on stderr: logged, counted, remembered. */
  stderr(line: string): void;
  /** A stdout line that is no record or state: logged, counted, and read for an error. */
  other(line: ParsedLine): void;
}

export function watchSide(
  side: Side,
  log: AttemptLog,
  stop: (reason: string) => void,
  limitBytes = DEFAULT_SYNC_LOG_LIMIT_BYTES,
): SideWatch {
  const said = diagnosis();
  const limit: ReturnType<typeof outputLimit> = outputLimit(
    limitBytes,
    'log output (stderr and messages besides records and states)',
    () => stop(`the ${side} was stopped: ${limit.reason()}`),
  );
  const toLog = stderrOf(log, side);
  return {
    said,
    stderr(line) {
      limit.count(line.length + 1);
      said.stderr(line);
      toLog(line);
    },
    other(line) {
      if (line.kind === 'noise') {
        limit.count(line.line.length + 1);
        logNoise(log, side, line);
        return;
      }
      limit.count(line.bytes + 1);
      said.message(line.message);
      logMessage(log, side, line.message as AirbyteMessage);
    },
  };
}
