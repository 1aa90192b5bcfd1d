import { existsSync, readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { seedOpenApiFile } from './ferry.ts';

type Schema = Record<string, unknown>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const SEED_ID = 'https://ferry.test/seed.json';

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `$ref`s to components point into one `definitions` document,
 * `nullable: true` becomes a `null` alternative, and (api-facts.md: "Unset optional scalars come back as
 * null") every property an object does not require may also be `null`.
 */
const convert = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(convert);
  if (!isObject(node)) return node;
  if (typeof node.$ref === 'string')
    return { $ref: node.$ref.replace('#/components/schemas/', `${SEED_ID}#/definitions/`) };
  const { nullable, example: _example, ...rest } = node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'properties' && isObject(value)) {
      const required = new Set(Array.isArray(rest.required) ? (rest.required as string[]) : []);
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, property]) => [
          name,
          required.has(name) ? convert(property) : orNull(convert(property)),
        ]),
      );
    } else {
      out[key] = convert(value);
    }
  }
  return nullable === true ? orNull(out) : out;
};

const orNull = (schema: unknown) => ({ anyOf: [schema, { type: 'null' }] });

export interface SeedValidator {
  /** The operationIds and paths the seed documents, with their 200 response schemas. */
  paths: string[];
  /** Validates a 200 body of `path` against the seed's response schema; returns ajv's errors, or null. */
  validate(path: string, method: 'get' | 'post', body: unknown): string | null;
}

/** Null when the seed document is not there (a checkout without ../shared). */
export const loadSeedValidator = (): SeedValidator | null => {
  if (!existsSync(seedOpenApiFile)) return null;
  const document = parse(readFileSync(seedOpenApiFile, 'utf8')) as {
    paths: Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
    >;
    components: { schemas: Record<string, Schema> };
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addSchema({ $id: SEED_ID, definitions: convert(document.components.schemas) });
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (path: string, method: 'get' | 'post') => {
    const key = `${method} ${path}`;
    let validate = compiled.get(key);
    if (!validate) {
      const schema = document.paths[path]?.[method]?.responses['200']?.content?.['application/json']?.schema;
      if (!schema) throw new Error(`the seed documents no 200 JSON response for ${key}`);
      validate = ajv.compile(convert(schema) as Schema);
      compiled.set(key, validate);
    }
    return validate;
  };
  return {
    paths: Object.keys(document.paths),
    validate(path, method, body) {
      const validate = validatorOf(path, method);
      if (validate(body)) return null;
      return ajv.errorsText(validate.errors, { separator: '\n' });
    },
  };
};
