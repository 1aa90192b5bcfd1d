import { PATHS, type OperationId, type Request, type Response } from './operations.ts';
import { authorizationOf, type Credentials } from './session.ts';

export interface FieldError {
  propertyPath: string;
  message: string;
}

/** What went wrong with a call, in words a person can act on; `fields` names the parts of a form at fault. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly fields: FieldError[];
  constructor(status: number, message: string, fields: FieldError[] = []) {
    super(message);
    this.status = status;
    this.fields = fields;
  }
}

const BASE = '/api';

/** The sentence shown for an answer that is not a success; the server's own message when it gave one. */
export const describeFailure = (status: number, body: unknown): string => {
  const message =
    body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : '';
  if (status === 401) return 'Ferry did not accept your sign-in. Sign in again.';
  if (status === 403) return message || 'This needs the admin role.';
  if (status === 429) return message || 'Too many attempts; wait a minute and try again.';
  if (status >= 500 && !message) return `Ferry could not answer (HTTP ${status}). Try again in a moment.`;
  return message || `Ferry answered HTTP ${status}.`;
};

const fieldsOf = (body: unknown): FieldError[] => {
  const list = (body as { validationErrors?: unknown } | null)?.validationErrors;
  return Array.isArray(list) ? (list as FieldError[]) : [];
};

export type Call = <Id extends OperationId>(id: Id, body?: Request<Id>) => Promise<Response<Id>>;

/**
 * A caller of the API as `credentials`. `X-Requested-With` asks the gateway not to challenge a failed sign-in
 * with `WWW-Authenticate`, which would make the browser open its own password dialog over the console's.
 */
export const createCaller =
  (credentials: Credentials, onUnauthorized: () => void): Call =>
  async (id, body) => {
    const headers: Record<string, string> = { 'X-Requested-With': 'XMLHttpRequest' };
    const authorization = authorizationOf(credentials);
    if (authorization) headers.Authorization = authorization;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: globalThis.Response;
    try {
      response = await fetch(`${BASE}${PATHS[id]}`, {
        method: 'POST',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(
        0,
        `Ferry did not answer (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (response.ok) return parsed as never;
    if (response.status === 401) onUnauthorized();
    throw new ApiError(response.status, describeFailure(response.status, parsed), fieldsOf(parsed));
  };

export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : `Something went wrong: ${String(error)}`;
