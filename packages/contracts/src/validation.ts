import type { z } from 'zod';
import { invalid, type ValidationIssue } from './errors.ts';

/** `['syncSchema', 'streams', 0, 'name']` → `syncSchema.streams[0].name`, the form our 422 bodies use. */
export const propertyPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    const name = String(key);
    return acc === '' ? name : `${acc}.${name}`;
  }, '');

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown => {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
};

const MAX_ECHO = 1000;

/**
 * What a 422 shows of the offending value: scalars (long strings cut), never whole objects or arrays,
 * which may be huge, deeply nested, or hold secrets sent beside the offending field.
 */
const echo = (value: unknown): unknown => {
  if (typeof value === 'string') return value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}…` : value;
  return typeof value === 'number' || typeof value === 'boolean' ? value : null;
};

/** Turns zod issues into the `validationErrors` of a 422, naming each offending field. */
export const validationIssues = (error: z.ZodError, input: unknown): ValidationIssue[] =>
  error.issues.map((issue) => ({
    propertyPath: propertyPath(issue.path),
    message: issue.message,
    invalidValue: echo(valueAt(input, issue.path)),
  }));

/** Parses `input` with `schema` or throws a 422 `DomainError` listing every invalid field. */
export const parseOrThrow = <S extends z.ZodType>(schema: S, input: unknown): z.infer<S> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalid(validationIssues(result.error, input), 'The request body is invalid');
};
