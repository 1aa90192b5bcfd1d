/**
 * Walks a connector configuration beside its JSON-schema spec and rewrites every value whose property
 * is marked `"airbyte_secret": true`, at any depth: nested objects, `oneOf`/`anyOf`/`allOf` branches
 * and array items. Pure: the rewrite function decides what a secret becomes.
 */
type Json = unknown;
type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every sub-schema that may describe the same value: the schema itself and its combinator branches. */
const variants = (schema: unknown): Schema[] => {
  if (!isObject(schema)) return [];
  const branches = ['oneOf', 'anyOf', 'allOf'].flatMap((k) =>
    Array.isArray(schema[k]) ? (schema[k] as unknown[]) : [],
  );
  return [schema, ...branches.flatMap(variants)];
};

const propertySchemas = (schema: unknown, key: string): Schema[] =>
  variants(schema).flatMap((s) =>
    isObject(s.properties) && isObject(s.properties[key]) ? [s.properties[key] as Schema] : [],
  );

export type SecretRewrite = (value: Json, path: readonly (string | number)[]) => Json;

export const rewriteSecrets = (
  value: Json,
  schema: unknown,
  rewrite: SecretRewrite,
  path: readonly (string | number)[] = [],
): Json => {
  if (Array.isArray(value)) {
    const items = variants(schema)
      .map((s) => s.items)
      .filter(isObject);
    return value.map((item, i) => rewriteSecrets(item, { anyOf: items }, rewrite, [...path, i]));
  }
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      const schemas = propertySchemas(schema, key);
      const childPath = [...path, key];
      if (schemas.some((s) => s.airbyte_secret === true)) return [key, rewrite(child, childPath)];
      return [key, rewriteSecrets(child, { anyOf: schemas }, rewrite, childPath)];
    }),
  );
};

/** Rewrites every value for which `match` holds, wherever it is: used where no spec is needed. */
export const rewriteWhere = (value: Json, match: (v: Json) => boolean, rewrite: (v: Json) => Json): Json => {
  if (match(value)) return rewrite(value);
  if (Array.isArray(value)) return value.map((v) => rewriteWhere(v, match, rewrite));
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteWhere(v, match, rewrite)]));
};

export const valueAtPath = (value: Json, path: readonly (string | number)[]): Json =>
  path.reduce<Json>(
    (current, key) =>
      isObject(current) || Array.isArray(current)
        ? (current as Record<string | number, Json>)[key]
        : undefined,
    value,
  );
