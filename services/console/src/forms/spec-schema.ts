/**
 * A connector's `connectionSpecification` (JSON Schema, draft 7, Airbyte's conventions) read as a form: the
 * fields in order, their starting values, and the configuration a filled-in form means. Pure: no DOM here.
 *
 * Values are kept flat, keyed by the field's path ("tunnel.host"), as strings and booleans; a `oneOf` keeps
 * the chosen option's index under "<path>#option". Secrets (`airbyte_secret`) start empty: the API answers
 * them masked, and sending the mask back keeps the stored value (ADR 0005).
 */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  airbyte_secret?: boolean;
  multiline?: boolean;
  order?: number;
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

export const SECRET_MASK = '**********';

export type FieldKind =
  | 'text'
  | 'secret'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'choice'
  | 'list'
  | 'json'
  | 'group'
  | 'options';

export interface Field {
  /** "count", or "tunnel.host" for a field of a nested object. */
  path: string;
  kind: FieldKind;
  label: string;
  schema: JsonSchema;
  required: boolean;
}

export interface Draft {
  values: Record<string, string | boolean>;
  /** Paths of secrets the resource already has: left empty, they keep their stored value. */
  storedSecrets: ReadonlySet<string>;
}

const typeOf = (schema: JsonSchema) =>
  Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;

export const kindOf = (schema: JsonSchema): FieldKind => {
  if (schema.oneOf) return 'options';
  if (schema.enum) return 'choice';
  const type = typeOf(schema);
  if (type === 'string') return schema.airbyte_secret ? 'secret' : 'text';
  if (type === 'integer' || type === 'number' || type === 'boolean') return type;
  if (type === 'array' && (!schema.items || typeOf(schema.items) !== 'object')) return 'list';
  if (type === 'object' && schema.properties) return 'group';
  return 'json';
};

const join = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/** The fields of an object schema, by `order` and then as declared; a `const` is no field (it is fixed). */
export const fieldsOf = (schema: JsonSchema, parent = ''): Field[] => {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .map(([key, property], index) => ({ key, property, index }))
    .filter(({ property }) => property.const === undefined)
    .sort((a, b) => (a.property.order ?? a.index) - (b.property.order ?? b.index) || a.index - b.index)
    .map(({ key, property }) => ({
      path: join(parent, key),
      kind: kindOf(property),
      label: property.title ?? key,
      schema: property,
      required: required.has(key),
    }));
};

const asText = (value: unknown, kind: FieldKind): string => {
  if (value === undefined || value === null) return '';
  if (kind === 'list' && Array.isArray(value)) return value.map(String).join('\n');
  if (kind === 'json') return JSON.stringify(value, null, 2);
  return String(value);
};

/** The option of a `oneOf` a stored value matches: by its `const` fields, else by its required keys. */
export const optionOf = (schema: JsonSchema, value: unknown): number => {
  const object = (value ?? {}) as Record<string, unknown>;
  const options = schema.oneOf ?? [];
  const byConst = options.findIndex((option) => {
    const fixed = Object.entries(option.properties ?? {}).filter(([, p]) => p.const !== undefined);
    return fixed.length > 0 && fixed.every(([key, p]) => object[key] === p.const);
  });
  if (byConst >= 0) return byConst;
  const byKeys = options.findIndex((option) => (option.required ?? []).every((key) => key in object));
  return Math.max(0, byKeys);
};

/** A draft from a stored configuration (`undefined`: a new resource, so each field's default). */
export const draftOf = (schema: JsonSchema, configuration?: Record<string, unknown>): Draft => {
  const values: Record<string, string | boolean> = {};
  const storedSecrets = new Set<string>();
  const walk = (object: JsonSchema, stored: Record<string, unknown> | undefined, parent: string) => {
    for (const field of fieldsOf(object, parent)) {
      const key = field.path.slice(parent ? parent.length + 1 : 0);
      const value = stored ? stored[key] : field.schema.default;
      if (field.kind === 'group')
        walk(field.schema, value as Record<string, unknown> | undefined, field.path);
      else if (field.kind === 'options') {
        const option = stored ? optionOf(field.schema, value) : 0;
        values[`${field.path}#option`] = String(option);
        walk(field.schema.oneOf![option]!, value as Record<string, unknown> | undefined, field.path);
      } else if (field.kind === 'boolean') values[field.path] = value === true;
      else if (field.kind === 'secret') {
        values[field.path] = '';
        if (stored && typeof value === 'string' && value !== '') storedSecrets.add(field.path);
      } else values[field.path] = asText(value, field.kind);
    }
  };
  walk(schema, configuration, '');
  return { values, storedSecrets };
};
