import { DomainError, httpStatusOf } from '@ferry/contracts';

/**
 * The one place a `DomainError` becomes an HTTP answer (api-facts.md, "Errors"): 404 `{message, id}`,
 * 422 `{message, validationErrors}`, everything else `{message}`.
 */
export const httpError = (error: unknown): { status: number; body: Record<string, unknown> } => {
  if (!(error instanceof DomainError)) return { status: 500, body: { message: 'Internal error' } };
  const status = httpStatusOf[error.category];
  if (error.category === 'not_found')
    return { status, body: { message: error.message, id: error.id ?? null } };
  if (error.validationErrors)
    return { status, body: { message: error.message, validationErrors: error.validationErrors } };
  return { status, body: { message: error.message } };
};

/** A body that is not JSON at all: 422 like any other invalid body, naming the whole body. */
export const notJson = (reason: string) =>
  new DomainError({
    code: 'validation',
    category: 'validation',
    message: 'The request body is not valid JSON',
    validationErrors: [{ propertyPath: '', message: reason, invalidValue: null }],
  });
