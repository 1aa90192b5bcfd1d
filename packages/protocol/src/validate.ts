import { AirbyteMessage } from './messages.ts';

export type Validation = { ok: true; message: AirbyteMessage } | { ok: false; reason: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * RECORD and STATE are nearly every line of a sync, so they are checked by hand; the checks accept a strict
 * subset of what the zod schema accepts, and anything else falls through to zod (which also explains why a
 * line is rejected).
 */
function fastPath(v: unknown): AirbyteMessage | undefined {
  if (!isObject(v)) return undefined;
  if (v.type === 'RECORD') {
    const r = v.record;
    if (
      isObject(r) &&
      typeof r.stream === 'string' &&
      isObject(r.data) &&
      typeof r.emitted_at === 'number' &&
      (r.namespace === undefined || typeof r.namespace === 'string')
    ) {
      return v as AirbyteMessage;
    }
  } else if (v.type === 'STATE') {
    // The 2020 form; today's STREAM and GLOBAL states go through zod.
    if (isObject(v.state) && isObject(v.state.data) && v.state.type === undefined) return v as AirbyteMessage;
  }
  return undefined;
}

/** Checks that a parsed JSON value is an AirbyteMessage; the reason names the first few zod issues. */
export function validateMessage(value: unknown): Validation {
  const fast = fastPath(value);
  if (fast) return { ok: true, message: fast };
  const parsed = AirbyteMessage.safeParse(value);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issues = parsed.error.issues.slice(0, 3).map((i) => {
    const path = i.path.map(String).join('.');
    return path ? `${path}: ${i.message}` : i.message;
  });
  return { ok: false, reason: `not an AirbyteMessage (${issues.join('; ')})` };
}
