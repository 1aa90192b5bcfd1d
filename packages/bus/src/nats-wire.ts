import { DomainError } from '@ferry/contracts';
import { ErrorCode, headers as natsHeaders, type MsgHdrs, NatsError } from 'nats';
import type { Headers } from './port.ts';
import { busClosed, decodeJson, noResponders, timedOut } from './wire.ts';

/** Translations between nats.js types and the port's; nothing here leaves the package. */

export function toNatsHeaders(given: Headers | undefined): MsgHdrs {
  const out = natsHeaders();
  for (const [key, value] of Object.entries(given ?? {})) out.set(key, value);
  return out;
}

/** One value per key: the port's headers are a flat record, so a repeated header keeps its first value. */
export function fromNatsHeaders(given: MsgHdrs | undefined): Headers {
  const out: Record<string, string> = {};
  for (const [key, values] of given ?? []) out[key] = values[0] ?? '';
  return out;
}

/** A request body from any NATS client: JSON, or a validation error the caller can act on. */
export function decodeRequest(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    throw new DomainError({
      code: 'bus.bad_payload',
      category: 'validation',
      message: 'The payload is not JSON',
    });
  }
}

/** Why a request or publish failed on the transport, in the port's terms. */
export function transportError(error: unknown, subject: string, timeoutMs: number): DomainError {
  if (!(error instanceof NatsError)) return unavailableBecause(error);
  switch (error.code) {
    case ErrorCode.NoResponders:
      return noResponders(subject);
    case ErrorCode.Timeout:
      return timedOut(subject, timeoutMs);
    case ErrorCode.ConnectionClosed:
    case ErrorCode.ConnectionDraining:
      return busClosed();
    default:
      return unavailableBecause(error);
  }
}

function unavailableBecause(error: unknown): DomainError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DomainError(
    { code: 'bus.unavailable', category: 'unavailable', message: `NATS failed: ${reason}` },
    { cause: error },
  );
}
