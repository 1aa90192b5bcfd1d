import type { ConnectorCommandRequest, ConnectorCommandResult } from '@ferry/contracts';
import type { ConnectorRuntime } from '@ferry/connector-runtime';
import type { AirbyteMessage } from '@ferry/protocol';
import { rewriteWhere } from '@ferry/secrets';
import { openAttemptLog } from './attempt-log.ts';

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

/**
 * Runs spec, check or discover and reports what it printed. A connector that prints garbage, hangs or dies
 * ends with `succeeded: false` and a reason; its whole process tree or container is gone when this returns.
 * The log and the answer are scrubbed of `secrets`, the plain values of the configuration's secrets.
 */
export const runConnectorCommand = async (
  runtime: ConnectorRuntime,
  request: ConnectorCommandRequest,
  secrets: readonly string[],
): Promise<ConnectorCommandResult> => {
  const log = openAttemptLog(request.logPath, secrets);
  const scrubbed = (output: Record<string, unknown> | null) =>
    output &&
    (rewriteWhere(
      output,
      (v) => typeof v === 'string',
      (v) => log.scrub(v as string),
    ) as typeof output);
  log.write('ferry', `running ${request.command} of ${request.image} (${runtime.describe()})`);
  try {
    const run = await runtime.run({
      image: request.image,
      command: request.command,
      ...(request.config ? { config: request.config } : {}),
      timeoutMs: request.timeoutMs,
      onLog: (line) => log.write('connector stderr', line),
    });
    let output: Record<string, unknown> | null = null;
    for await (const line of run.messages) {
      if (line.kind === 'noise') log.write('connector', `${line.line.slice(0, 2000)} (${line.reason})`);
      else if (line.message.type === 'LOG')
        log.write(`connector ${line.message.log.level}`, line.message.log.message);
      else if (line.message.type === EXPECTED[request.command]) output = outputOf(line.message);
    }
    const exit = await run.exit;
    const failure = exit.reason
      ? `connector ${exit.reason === 'timeout' ? 'timed out' : 'was cancelled'}`
      : exit.code !== 0
        ? `connector exited with code ${exit.code ?? exit.signal}`
        : output === null
          ? `connector printed no ${EXPECTED[request.command]} message`
          : null;
    log.write('ferry', failure ?? `${request.command} succeeded`);
    return {
      succeeded: failure === null,
      failureReason: failure,
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
