import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { invalid } from '@ferry/contracts';

/**
 * Checks a connector configuration against its spec (JSON Schema draft 7, as Airbyte's connectors
 * write them). Compiled validators are cached per spec text: specs change only with the image.
 */
export const createConfigurationValidator = () => {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  const cache = new Map<string, ReturnType<Ajv['compile']>>();
  // The same spec object comes back for every create of a connector (the config service keeps specs by
  // image), so it is looked up by identity before its text is made.
  const byObject = new WeakMap<object, ReturnType<Ajv['compile']>>();
  const compiled = (spec: Record<string, unknown>) => {
    const known = byObject.get(spec);
    if (known) return known;
    const key = JSON.stringify(spec);
    let validate = cache.get(key);
    if (!validate) {
      validate = ajv.compile(spec);
      cache.set(key, validate);
    }
    byObject.set(spec, validate);
    return validate;
  };
  /** `shown` is where an invalid value is looked up for the answer: the configuration with secrets sealed. */
  return (
    configuration: Record<string, unknown>,
    spec: Record<string, unknown>,
    shown: Record<string, unknown> = configuration,
  ): void => {
    const validate = compiled(spec);
    if (validate(configuration)) return;
    throw invalid(
      (validate.errors ?? []).map((e) => issue(e, shown)),
      'connectionConfiguration does not match the connector specification',
    );
  };
};

const issue = (error: ErrorObject, configuration: unknown) => {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  const path = ['connectionConfiguration', ...segments]
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('')
    .slice(1);
  const value = segments.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    configuration,
  );
  return { propertyPath: path, message: error.message ?? error.keyword, invalidValue: scalarOrNull(value) };
};

/** Objects are not echoed whole: they may hold secrets the client sent alongside the offending value. */
const scalarOrNull = (value: unknown) => (value === undefined || typeof value === 'object' ? null : value);
