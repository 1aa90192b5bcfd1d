import { type Draft, fieldsOf, type Field, type JsonSchema, SECRET_MASK } from './spec-schema.ts';

export interface Parsed {
  configuration: Record<string, unknown>;
  /** A message per field path that cannot be sent as it is; empty when the form is fine. */
  errors: Record<string, string>;
}

type Outcome = { value: unknown } | { error: string } | null;

/** One field's text as the type its schema asks for; `null` when it is left out of the configuration. */
const typedValue = (field: Field, raw: string | boolean | undefined, draft: Draft): Outcome => {
  if (field.kind === 'boolean') return { value: raw === true };
  const text = typeof raw === 'string' ? raw : '';
  if (field.kind === 'secret' && text === '' && draft.storedSecrets.has(field.path))
    return { value: SECRET_MASK };
  if (text.trim() === '') return field.required ? { error: `${field.label} is required` } : null;
  switch (field.kind) {
    case 'integer':
    case 'number': {
      const number = Number(text);
      if (!Number.isFinite(number) || (field.kind === 'integer' && !Number.isInteger(number)))
        return {
          error: `${field.label} must be ${field.kind === 'integer' ? 'a whole number' : 'a number'}`,
        };
      return { value: number };
    }
    case 'list': {
      const items = text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      const numeric = field.schema.items?.type === 'integer' || field.schema.items?.type === 'number';
      return { value: numeric ? items.map(Number) : items };
    }
    case 'choice': {
      const option = field.schema.enum?.find((candidate) => String(candidate) === text);
      return { value: option ?? text };
    }
    case 'json':
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { error: `${field.label} must be JSON` };
      }
    default:
      return { value: text };
  }
};

/** The configuration a draft means, and what is wrong with it; fixed `const` fields of an option included. */
export const configurationOf = (schema: JsonSchema, draft: Draft): Parsed => {
  const errors: Record<string, string> = {};
  const build = (object: JsonSchema, parent: string): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(object.properties ?? {}))
      if (property.const !== undefined) result[key] = property.const;
    for (const field of fieldsOf(object, parent)) {
      const key = field.path.slice(parent ? parent.length + 1 : 0);
      if (field.kind === 'group') result[key] = build(field.schema, field.path);
      else if (field.kind === 'options') {
        const option = Number(draft.values[`${field.path}#option`] ?? 0);
        result[key] = build(field.schema.oneOf![option] ?? {}, field.path);
      } else {
        const outcome = typedValue(field, draft.values[field.path], draft);
        if (outcome && 'error' in outcome) errors[field.path] = outcome.error;
        else if (outcome) result[key] = outcome.value;
      }
    }
    return result;
  };
  return { configuration: build(schema, ''), errors };
};

/** The API names a field as `connectionConfiguration.count` or `/count`; the form as "count". */
export const fieldPathOf = (propertyPath: string): string =>
  propertyPath
    .replace(/^\$?\.?connectionConfiguration\.?/, '')
    .replace(/^\//, '')
    .replaceAll('/', '.');
