import type { ApiError } from '../api/client.ts';

/** An error where it happened, in words; `role="alert"` has screen readers say it when it appears. */
export const Problem = ({ error, label }: { error: Error | string | undefined | null; label?: string }) => {
  if (!error) return null;
  const text = typeof error === 'string' ? error : error.message;
  const fields = typeof error === 'string' ? [] : ((error as ApiError).fields ?? []);
  return (
    <div class="problem" role="alert">
      <p>
        {label ? `${label}: ` : ''}
        {text}
      </p>
      {fields.length > 0 && (
        <ul>
          {fields.map((field) => (
            <li key={`${field.propertyPath}${field.message}`}>
              {field.propertyPath ? <code>{field.propertyPath}</code> : null} {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
};

export const Loading = ({ what }: { what: string }) => (
  <p class="loading" role="status">
    Loading {what}…
  </p>
);

/** A 404 from an endpoint this server does not have: said plainly instead of as an error. */
export const isMissingEndpoint = (error: unknown): boolean =>
  !!error && (error as ApiError).status === 404 && /^Route \w+:/.test((error as ApiError).message);

export const NotAvailable = ({ what }: { what: string }) => (
  <p class="notice" role="status">
    {what} is not available on this server: it does not answer the endpoint yet.
  </p>
);
