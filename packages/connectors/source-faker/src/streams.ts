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

/**
 * What rows print of the fixed lists, serialized once: a row is then a few concatenations instead of a
 * JSON.stringify (and for an email a toLowerCase) per value and the strings they leave behind. PEOPLE holds,
 * per first and last name (`FIRST[f]`, `LAST[l]` at `f * LAST.length + l`), the name member and the start
 * of the email, which the row ends with its number and domain (no character there needs escaping).
 */
const PEOPLE = FIRST.flatMap((first) =>
  LAST.map(
    (last) => `"name":${q(`${first} ${last}`)},"email":${q(`${first}.${last}`.toLowerCase()).slice(0, -1)}`,
  ),
);
const CITY_MEMBERS = CITIES.map((city) => `"city":${q(city)}`);
const MAKE_MEMBERS = MAKES.map((make) => `"make":${q(make)}`);
const MODEL_MEMBERS = MODELS.map((model) => `"model":${q(model)}`);

const MINUTES_PER_DAY = 1440;
const DAY_MS = MINUTES_PER_DAY * MINUTE_MS;
const two = (n: number) => String(n).padStart(2, '0');
const TIMES_OF_DAY = Array.from(
  { length: MINUTES_PER_DAY },
  (_, m) => `${two(Math.floor(m / 60))}:${two(m % 60)}`,
);

/** What `toISOString()` prints of the date of the day `day` days after EPOCH_MS, cached: a few thousand. */
const DATES = new Map<number, string>();
function dateOf(day: number): string {
  let date = DATES.get(day);
  if (date === undefined) {
    const iso = new Date(EPOCH_MS + day * DAY_MS).toISOString();
    date = iso.slice(0, iso.indexOf('T'));
    DATES.set(day, date);
  }
  return date;
}

/**
 * The two timestamp members, always last, as `toISOString()` prints them; ISO-8601 text needs no escaping.
 * Row i is updated i minutes after EPOCH_MS and created a whole number of days before, at the same time of
 * day: the dates come from a cache and the time from a table, instead of two Date objects per row.
 */
function timestamps(rng: Rng, i: number) {
  const daysBefore = int(rng, 0, 30);
  const day = Math.floor(i / MINUTES_PER_DAY);
  const time = TIMES_OF_DAY[i - day * MINUTES_PER_DAY];
  return `"created_at":"${dateOf(day - daysBefore)}T${time}:00.000Z","updated_at":"${dateOf(day)}T${time}:00.000Z"`;
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
      const first = Math.floor(rng() * FIRST.length);
      const person = PEOPLE[first * LAST.length + Math.floor(rng() * LAST.length)];
      const age = int(rng, 18, 90);
      const city = pick(rng, CITY_MEMBERS);
      return `{"id":${i + 1},${person}${i + 1}@example.com","age":${age},${city},${timestamps(rng, i)}}`;
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
      const make = pick(rng, MAKE_MEMBERS);
      const model = pick(rng, MODEL_MEMBERS);
      const year = int(rng, 1990, 2020);
      // A finite number prints in JSON as String() prints it.
      return `{"id":${i + 1},${make},${model},"price":${price},"year":${year},${timestamps(rng, i)}}`;
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
