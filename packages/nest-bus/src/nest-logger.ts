import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

const text = (message: unknown) => (typeof message === 'string' ? message : JSON.stringify(message));
/** Nest passes the context (a class name) last; a stack trace, for errors, before it. */
const fieldsOf = (params: unknown[]) => {
  const context = typeof params.at(-1) === 'string' ? (params.at(-1) as string) : undefined;
  const stack = params.length > 1 && typeof params[0] === 'string' ? params[0] : undefined;
  return { ...(context ? { nest: context } : {}), ...(stack ? { stack } : {}) };
};

/**
 * Nest's own log lines (module loading, "microservice started") through the service's pino logger, at
 * debug: a start says nothing unless something is wrong. Warnings and errors keep their level.
 */
export const nestLoggerOf = (log: Logger): LoggerService => ({
  log: (message: unknown, ...params: unknown[]) => log.debug(fieldsOf(params), text(message)),
  debug: (message: unknown, ...params: unknown[]) => log.debug(fieldsOf(params), text(message)),
  verbose: (message: unknown, ...params: unknown[]) => log.trace(fieldsOf(params), text(message)),
  warn: (message: unknown, ...params: unknown[]) => log.warn(fieldsOf(params), text(message)),
  error: (message: unknown, ...params: unknown[]) =>
    message instanceof Error
      ? log.error({ err: message, ...fieldsOf(params) }, message.message)
      : log.error(fieldsOf(params), text(message)),
  fatal: (message: unknown, ...params: unknown[]) => log.fatal(fieldsOf(params), text(message)),
});
