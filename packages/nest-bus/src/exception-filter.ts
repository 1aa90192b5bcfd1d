import { wireErrorOf } from '@ferry/bus';
import { DomainError } from '@ferry/contracts';
import { type ArgumentsHost, Catch, type RpcExceptionFilter } from '@nestjs/common';
import type { Logger } from 'pino';
import { type Observable, throwError } from 'rxjs';
import { BusRpcContext } from './context.ts';

/**
 * The one exception filter, in place of Nest's default (which answers every error but its own
 * `RpcException` as `{status: 'error', message: 'Internal server error'}`, losing a DomainError's code and
 * category). Errors are mapped to the wire once, by `wireErrorOf` in @ferry/bus, which the bus's `answer`
 * also uses: a DomainError passes whole, anything else becomes `internal`. This filter only adds the log
 * line of a defect, with the message's logger (its ids), and hands the bus the mapped error, so the bus's
 * own `onError` is not told again.
 */
export class WireExceptionFilter implements RpcExceptionFilter<unknown> {
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (!DomainError.is(exception)) {
      const message = host.switchToRpc().getContext<unknown>();
      const log = message instanceof BusRpcContext ? (message.log ?? this.#log) : this.#log;
      log.error({ err: exception }, 'operation failed');
    }
    return throwError(() => wireErrorOf(exception));
  }
}
Catch()(WireExceptionFilter);
