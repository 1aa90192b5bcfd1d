import type { CopyLines } from './copy-lines.ts';

/*
 * The raw table's rows go in COPY's binary format: the server stores the id's 16 bytes and emitted_at's
 * microseconds as they come instead of parsing 32 hex digits and an ISO timestamp per row (for 200,000
 * rows, about a third of the raw COPY's CPU on the server), and the JSON needs no escaping for COPY's text.
 */

/** jsonb's binary input: a version byte, then the JSON text. */
export const JSONB_VERSION = 1;
/** PostgreSQL counts timestamps from 2000-01-01 UTC, in microseconds. */
const POSTGRES_EPOCH_MS = 946_684_800_000n;
/** The times timestamptz reads back from the ISO text JavaScript prints: years 1 to 9999. */
const TEXT_YEARS_MS = [-62_135_596_800_000, 253_402_300_800_000] as const;

/** A record's emitted_at as each table takes it: ISO text for the typed table, 8 bytes for the raw one. */
export interface EmittedAt {
  text: string;
  binary: Buffer;
  /** Whether PostgreSQL reads `text` back (else its own error says why: see write.ts). */
  readable: boolean;
}

export function emittedAtOf(emittedAt: number): EmittedAt {
  const time = new Date(emittedAt);
  const text = time.toISOString(); // throws on an invalid time, as before
  const ms = time.getTime();
  const binary = Buffer.allocUnsafe(8);
  binary.writeBigInt64BE((BigInt(ms) - POSTGRES_EPOCH_MS) * 1000n);
  return { text, binary, readable: ms >= TEXT_YEARS_MS[0] && ms < TEXT_YEARS_MS[1] };
}

/** One raw row: `_airbyte_ab_id` (uuid), `_airbyte_data` (jsonb), `_airbyte_emitted_at` (timestamptz). */
export function addRawRow(rows: CopyLines, id: Uint8Array, dataJson: string, emittedAt: EmittedAt): void {
  rows.addBinaryRow(3);
  addIdField(rows, id);
  rows.addVersionedText(JSONB_VERSION, dataJson);
  addEmittedAtField(rows, emittedAt);
}

/** A uuid's binary field: its 16 bytes. */
export function addIdField(rows: CopyLines, id: Uint8Array): void {
  rows.addInt32(id.length);
  rows.addBytes(id);
}

/** emitted_at's binary field (timestamptz): microseconds since 2000. */
export function addEmittedAtField(rows: CopyLines, emittedAt: EmittedAt): void {
  rows.addInt32(8);
  rows.addBytes(emittedAt.binary);
}
