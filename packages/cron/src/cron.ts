/**
 * Five-field cron (`minute hour day-of-month month day-of-week`) as Vixie cron reads it: `*`, lists, ranges,
 * steps (`*\/15`, `1-5/2`, `10/5`), names (`JAN`, `MON`), day-of-week 0 or 7 for Sunday. When both day fields
 * are restricted a day matches either of them; when one starts with `*` it must match both.
 */
export interface Cron {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** Either day field starts with `*`: a day must match both fields, not one of them. */
  daysAnded: boolean;
}

export class CronSyntaxError extends Error {
  override readonly name = 'CronSyntaxError';
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

const fieldValue = (text: string, spec: FieldSpec): number => {
  const byName = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (byName >= 0) return byName + spec.min;
  if (!/^\d+$/.test(text)) throw new CronSyntaxError(`"${text}" is not a valid ${spec.name}`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new CronSyntaxError(`${spec.name} ${value} is outside ${spec.min}-${spec.max}`);
  }
  return value;
};

/** One comma-separated part: `*`, `a`, `a-b`, each optionally `/step`; `a/step` runs to the field's maximum. */
const addPart = (part: string, spec: FieldSpec, into: Set<number>) => {
  const [range = '', stepText, extra] = part.split('/');
  if (extra !== undefined || range === '') throw new CronSyntaxError(`"${part}" is not a valid ${spec.name}`);
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!/^\d*$/.test(stepText ?? '') || !(step >= 1)) {
    throw new CronSyntaxError(`"${part}" has no valid step (a whole number from 1)`);
  }
  const [from = '', to, rest] = range.split('-');
  if (rest !== undefined) throw new CronSyntaxError(`"${part}" is not a valid ${spec.name}`);
  const lo = range === '*' ? spec.min : fieldValue(from, spec);
  const hi = range === '*' ? spec.max : to !== undefined ? fieldValue(to, spec) : stepText ? spec.max : lo;
  if (lo > hi) throw new CronSyntaxError(`${spec.name} range ${range} runs backwards`);
  for (let v = lo; v <= hi; v += step) into.add(v);
};

const parseField = (text: string, spec: FieldSpec): Set<number> => {
  const values = new Set<number>();
  for (const part of text.split(',')) addPart(part, spec, values);
  return values;
};

/** Parses an expression; throws `CronSyntaxError` saying what is wrong. */
export const parseCron = (expression: string): Cron => {
  const texts = expression.trim().split(/\s+/);
  if (texts.length !== 5) {
    throw new CronSyntaxError(
      `a cron expression has 5 fields (minute hour day-of-month month day-of-week), "${expression}" has ${texts.length}`,
    );
  }
  const [minutes, hours, days, months, weekdays] = texts.map((t, i) => parseField(t, FIELDS[i]!)) as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  // Sunday is both 0 and 7.
  if (weekdays.delete(7)) weekdays.add(0);
  const daysAnded = texts[2]!.startsWith('*') || texts[4]!.startsWith('*');
  return { minutes, hours, days, months, weekdays, daysAnded };
};
