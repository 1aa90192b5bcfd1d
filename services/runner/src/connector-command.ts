import type { ConnectorCommandRequest, ConnectorCommandResult } from '@ferry/contracts';
import type { ConnectorRuntime } from '@ferry/connector-runtime';
import type { AirbyteMessage } from '@ferry/protocol';
import { rewriteWhere } from '@ferry/secrets';
import { openAttemptLog } from './attempt-log.ts';
import { diagnosis, explained } from './diagnosis.ts';
import { DEFAULT_COMMAND_OUTPUT_LIMIT_BYTES, outputLimit } from './output-limit.ts';

/** The message each command must print: its absence fails the attempt. */
const EXPECTED = { spec: 'SPEC', check: 'CONNECTION_STATUS', discover: 'CATALOG' } as const;

const outputOf = (message: AirbyteMessage): Record<string, unknown> | null => {
  switch (message.type) {
    case 'SPEC':
      return message.spec as Record<string, unknown>;
    case 'CONNECTION_STATUS':
      return message.connectionStatus as Record<string, unknown>;
    case 'CATALOG':
      return message.catalog as Record<string, unknown>;
    default:
      return null;
  }
};

export interface CommandLimits {
  /** What the connector may print, stdout and stderr together, before it is stopped. */
  outputLimitBytes?: number;
}

/**
 * Runs spec, check or discover and reports what it printed. A connector that prints garbage, hangs, floods
 * its output or dies ends with `succeeded: false` and a reason that says which, quoting the connector's own
 * words (its TRACE error, else its last FATAL/ERROR log, else the end of its stderr); its whole process tree
 * or container is gone when this returns. The log and the answer are scrubbed of `secrets`, the plain
 * values of the configuration's secrets.
 */
export const runConnectorCommand = async (
  runtime: ConnectorRuntime,
  request: ConnectorCommandRequest,
  secrets: readonly string[],
  limits: CommandLimits = {},
): Promise<ConnectorCommandResult> => {
  const log = openAttemptLog(request.logPath, secrets);
  const scrubbed = (output: Record<string, unknown> | null) =>
    output &&
    (rewriteWhere(
      output,
      (v) => typeof v === 'string',
      (v) => log.scrub(v as string),
    ) as typeof output);
  const said = diagnosis();
  const stop = new AbortController();
  const limit = outputLimit(limits.outputLimitBytes ?? DEFAULT_COMMAND_OUTPUT_LIMIT_BYTES, 'output', () =>
    stop.abort(),
  );
  log.write('ferry', `running ${request.command} of ${request.image} (${runtime.describe()})`);
  try {
    const run = await runtime.run(
      {
        image: request.image,
        command: request.command,
        ...(request.config ? { config: request.config } : {}),
        timeoutMs: request.timeoutMs,
        onLog: (line) => {
          limit.count(line.length + 1);
          said.stderr(line);
          log.write('connector stderr', line);
        },
      },
      stop.signal,
    );
    let output: Record<string, unknown> | null = null;
    for await (const line of run.messages) {
      limit.count(line.kind === 'noise' ? line.line.length + 1 : line.bytes + 1);
      if (line.kind === 'noise') {
        log.write('connector', `${line.line.slice(0, 2000)} (${line.reason})`);
        continue;
      }
      said.message(line.message);
      if (line.message.type === 'LOG')
        log.write(`connector ${line.message.log.level}`, line.message.log.message);
      else if (line.message.type === 'TRACE' && line.message.trace.error)
        log.write('connector TRACE ERROR', line.message.trace.error.message);
      else if (line.message.type === EXPECTED[request.command]) output = outputOf(line.message);
    }
    const exit = await run.exit;
    const overLimit = limit.reason();
    const failure = overLimit
      ? `connector stopped: ${overLimit}`
      : exit.reason === 'timeout'
        ? `connector stopped: it ran longer than ${request.timeoutMs} ms, the time limit of ${request.command} (FERRY_CONNECTOR_TIMEOUT_MS)`
        : exit.reason
          ? 'connector was cancelled'
          : exit.code !== 0
            ? explained(
                `connector exited with ${exit.code === null ? `signal ${exit.signal}` : `code ${exit.code}`}`,
                said,
              )
            : output === null
              ? explained(`connector printed no ${EXPECTED[request.command]} message`, said)
              : null;
    log.write('ferry', failure ?? `${request.command} succeeded`);
    return {
      succeeded: failure === null,
      failureReason: failure === null ? null : log.scrub(failure),
      output: failure === null ? scrubbed(output) : null,
    };
  } catch (error) {
    const reason = `${(error as { code?: string }).code ?? 'runtime'}: ${(error as Error).message}`;
    log.write('ferry', `could not run the connector: ${reason}`);
    return { succeeded: false, failureReason: log.scrub(reason), output: null };
  } finally {
    await log.close();
  }
};
