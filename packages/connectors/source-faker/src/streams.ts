import type { AirbyteStream } from '@ferry/protocol';
import { mulberry32, rowSeed } from './prng.ts';

const FIRST = ['Ada', 'Grace', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Frances', 'Alan', 'Radia'];
const LAST = ['Lovelace', 'Hopper', 'Torvalds', 'Liskov', 'Thompson', 'Hamilton', 'Ritchie', 'Allen', 'Kay'];
const CITIES = ['Lisbon', 'Nairobi', 'Osaka', 'Quito', 'Tallinn', 'Austin', 'Lyon', 'Pune', 'Perth'];
const MAKES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell'];
const MODELS = ['Mini', 'Pro', 'Max', 'Lite', 'Plus', 'Air', 'Ultra'];

/** Rows are spaced a minute apart from this instant, so `updated_at` grows with the row number. */
const EPOCH_MS = Date.UTC(2020, 0, 1);
const MINUTE_MS = 60_000;

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

export interface FakeStream {
  stream: AirbyteStream;
  /**
   * Row `i` (0-based) of this stream for `seed`, as the JSON text JSON.stringify would print for it (built
   * by a template: serializing an object per row was most of the source's time); `count` bounds the ids
   * other streams refer to.
   */
  row(seed: number, i: number, count: number): string;
}

/** A string as JSON; the values here come from fixed lists, but escaping keeps any future value valid. */
const q = JSON.stringify;

const MINUTES_PER_DAY = 1440;
const DAY_MS = MINUTES_PER_DAY * MINUTE_MS;
const two = (n: number) => String(n).padStart(2, '0');
const TIMES_OF_DAY = Array.from(
  { length: MINUTES_PER_DAY },
  (_, m) => `${two(Math.floor(m / 60))}:${two(m % 60)}`,
);

/**
 * What `toISOString()` prints for the instant `minute` minutes after EPOCH_MS. Every row's timestamps are
 * whole minutes, so the date comes from a cache (`dates`, per day) and the time from a table, instead of
 * two Date objects per row (the larger part of the source's time).
 */
function minuteIso(minute: number, dates: Map<number, string>): string {
  const day = Math.floor(minute / MINUTES_PER_DAY);
  let date = dates.get(day);
  if (date === undefined) {
    const iso = new Date(EPOCH_MS + day * DAY_MS).toISOString();
    date = iso.slice(0, iso.indexOf('T'));
    dates.set(day, date);
  }
  return `${date}T${TIMES_OF_DAY[minute - day * MINUTES_PER_DAY]}:00.000Z`;
}

/** The dates of the days rows fall on, shared by the streams: a few thousand at most. */
const DATES = new Map<number, string>();

/** The two timestamp members, always last; ISO-8601 text needs no escaping. */
function timestamps(rng: Rng, i: number) {
  const created = i - int(rng, 0, 30) * MINUTES_PER_DAY;
  return `"created_at":"${minuteIso(created, DATES)}","updated_at":"${minuteIso(i, DATES)}"`;
}

/** `updated_at` of row i, and the inverse: the first row whose `updated_at` is after a cursor value. */
export const updatedAtOf = (i: number) => new Date(EPOCH_MS + i * MINUTE_MS).toISOString();
export function firstRowAfter(cursor: unknown): number {
  const ms = typeof cursor === 'string' ? Date.parse(cursor) : Number.NaN;
  if (Number.isNaN(ms)) return 0;
  return Math.max(0, Math.floor((ms - EPOCH_MS) / MINUTE_MS) + 1);
}

const dateTime = { type: 'string', format: 'date-time' };
const schema = (properties: Record<string, unknown>) => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: { ...properties, created_at: dateTime, updated_at: dateTime },
});
const stream = (name: string, properties: Record<string, unknown>): AirbyteStream => ({
  name,
  json_schema: schema(properties),
  supported_sync_modes: ['full_refresh', 'incremental'],
  source_defined_cursor: true,
  default_cursor_field: ['updated_at'],
});

export const STREAMS: FakeStream[] = [
  {
    stream: stream('users', {
      id: { type: 'integer' },
      name: { type: 'string' },
      email: { type: 'string' },
      age: { type: 'integer' },
      city: { type: 'string' },
    }),
    row(seed, i) {
      const rng = mulberry32(rowSeed(seed, 0, i));
      const first = pick(rng, FIRST);
      const last = pick(rng, LAST);
      const email = `${first}.${last}${i + 1}@example.com`.toLowerCase();
      const age = int(rng, 18, 90);
      const city = pick(rng, CITIES);
      return `{"id":${i + 1},"name":${q(`${first} ${last}`)},"email":${q(email)},"age":${age},"city":${q(city)},${timestamps(rng, i)}}`;
    },
  },
  {
    stream: stream('products', {
      id: { type: 'integer' },
      make: { type: 'string' },
      model: { type: 'string' },
      price: { type: 'number' },
      year: { type: 'integer' },
    }),
    row(seed, i) {
      const rng = mulberry32(rowSeed(seed, 1, i));
      const price = Math.round(rng() * 200_000) / 100;
      const make = pick(rng, MAKES);
      const model = pick(rng, MODELS);
      const year = int(rng, 1990, 2020);
      // A finite number prints in JSON as String() prints it.
      return `{"id":${i + 1},"make":${q(make)},"model":${q(model)},"price":${price},"year":${year},${timestamps(rng, i)}}`;
    },
  },
  {
    stream: stream('purchases', {
      id: { type: 'integer' },
      user_id: { type: 'integer' },
      product_id: { type: 'integer' },
      quantity: { type: 'integer' },
    }),
    row(seed, i, count) {
      const rng = mulberry32(rowSeed(seed, 2, i));
      // Refer only to rows that exist for this count, and to ones created no later than this purchase.
      const upTo = Math.min(count, i + 1);
      const user = int(rng, 1, upTo);
      const product = int(rng, 1, upTo);
      const quantity = int(rng, 1, 5);
      return `{"id":${i + 1},"user_id":${user},"product_id":${product},"quantity":${quantity},${timestamps(rng, i)}}`;
    },
  },
];
