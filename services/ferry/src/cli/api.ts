/** A refusal or failure of the HTTP API, with the message Ferry answered (or why it could not be reached). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** The HTTP status; 0 when Ferry did not answer at all. */
  readonly status: number;
  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}

export interface Api {
  /** The base URL, `http://localhost:8001/api` by default. */
  readonly url: string;
  /** POST `<url><path>` with a JSON body; the parsed answer, or an `ApiError`. */
  post<T>(path: string, body: unknown): Promise<T>;
  /** GET `<url><path>` with the credentials, answered as it comes (an event stream), or an `ApiError`. */
  stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response>;
}

const REQUEST_TIMEOUT_MS = 30_000;

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

const messageOf = (json: unknown, text: string) =>
  typeof json === 'object' && json !== null && 'message' in json ? String(json.message) : text.slice(0, 200);

/** The client of the Configuration API, as any HTTP client sees it (FERRY_URL, FERRY_AUTH_USER/PASSWORD). */
export const createApi = (env: Record<string, string | undefined>): Api => {
  const url = (env.FERRY_URL || 'http://localhost:8001/api').replace(/\/+$/, '');
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (env.FERRY_AUTH_USER && env.FERRY_AUTH_PASSWORD) {
    const credentials = Buffer.from(`${env.FERRY_AUTH_USER}:${env.FERRY_AUTH_PASSWORD}`).toString('base64');
    headers.authorization = `Basic ${credentials}`;
  }
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    let response: Response;
    try {
      const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
      response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      const why =
        error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
      throw new ApiError(0, `cannot reach Ferry at ${url} (${why}); is it running? (FERRY_URL)`, {
        cause: error,
      });
    }
    const text = await response.text();
    const json = text === '' ? null : parse(text);
    if (!response.ok) {
      throw new ApiError(response.status, `${path} answered ${response.status}: ${messageOf(json, text)}`);
    }
    return json as T;
  };
  const stream = async (path: string, extra: Record<string, string>, signal: AbortSignal) => {
    const response = await fetch(`${url}${path}`, {
      headers: { ...headers, accept: 'text/event-stream', ...extra },
      signal,
    }).catch((error: unknown) => {
      throw new ApiError(0, `cannot reach Ferry at ${url}; is it running? (FERRY_URL)`, { cause: error });
    });
    if (!response.ok) {
      const text = await response.text();
      throw new ApiError(
        response.status,
        `${path} answered ${response.status}: ${messageOf(parse(text), text)}`,
      );
    }
    return response;
  };
  return { url, post, stream };
};
