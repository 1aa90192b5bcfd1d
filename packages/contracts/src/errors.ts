/**
 * The closed set of errors Ferry answers with. Each has a stable code and a category; the category alone
 * decides the HTTP status (mapped once, in the gateway) and survives the bus (mapped once, in the transport).
 */
export const errorCategories = [
  'validation', // 422: the request is malformed or fails a schema
  'not_found', // 404: an id names nothing
  'conflict', // 409: a concurrent write won, or the revision is stale
  'illegal_state', // 422: the request is well-formed but the entity's state forbids it
  'bad_request', // 400: an outcome the caller must act on (e.g. a failed connection check)
  'unavailable', // 503: no service answered, or a capability is not there (yet)
  'timeout', // 504: the bus or a service was too slow
  'internal', // 500: a defect; never caused by client input
] as const;
export type ErrorCategory = (typeof errorCategories)[number];

export interface ValidationIssue {
  propertyPath: string;
  message: string;
  invalidValue: unknown;
}

export interface DomainErrorShape {
  code: string;
  category: ErrorCategory;
  message: string;
  /** For not_found: the id that named nothing. */
  id?: string | undefined;
  validationErrors?: ValidationIssue[] | undefined;
}

/** An expected failure with a stable code. Plain data inside, so it crosses the bus unchanged. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: string;
  readonly category: ErrorCategory;
  readonly id: string | undefined;
  readonly validationErrors: ValidationIssue[] | undefined;

  constructor(shape: DomainErrorShape, options?: { cause?: unknown }) {
    super(shape.message, options);
    this.code = shape.code;
    this.category = shape.category;
    this.id = shape.id;
    this.validationErrors = shape.validationErrors;
  }

  toJSON(): DomainErrorShape {
    return {
      code: this.code,
      category: this.category,
      message: this.message,
      id: this.id,
      validationErrors: this.validationErrors,
    };
  }

  static is(value: unknown): value is DomainError {
    return value instanceof DomainError;
  }
}

export const notFound = (kind: string, id: string): DomainError =>
  new DomainError({
    code: `${kind}.not_found`,
    category: 'not_found',
    message: `${kind} not found: ${id}`,
    id,
  });

export const conflict = (message: string, code = 'conflict'): DomainError =>
  new DomainError({ code, category: 'conflict', message });

export const illegalState = (code: string, message: string): DomainError =>
  new DomainError({ code, category: 'illegal_state', message });

export const invalid = (validationErrors: ValidationIssue[], message = 'Invalid input'): DomainError =>
  new DomainError({ code: 'validation', category: 'validation', message, validationErrors });

export const unavailable = (message: string, code = 'unavailable'): DomainError =>
  new DomainError({ code, category: 'unavailable', message });

export const httpStatusOf: Record<ErrorCategory, number> = {
  validation: 422,
  not_found: 404,
  conflict: 409,
  illegal_state: 422,
  bad_request: 400,
  unavailable: 503,
  timeout: 504,
  internal: 500,
};
