/**
 * Who the console acts as. Basic is the configured admin user; a token is an API token (ADR 0009) whose role
 * the console learns by asking for something only an admin may read. Kept in sessionStorage: it survives a
 * reload of the tab and is gone when the tab is closed.
 */
export type Credentials =
  | { kind: 'none' }
  | { kind: 'basic'; user: string; password: string }
  | { kind: 'token'; token: string };

export type Role = 'admin' | 'read';

export interface Session {
  credentials: Credentials;
  role: Role;
  /** How the header says who is signed in, for people: "ada", "an API token (read)", or null with auth off. */
  who: string | null;
}

const KEY = 'ferry.console.credentials';

/** btoa takes Latin-1 only: encode as UTF-8 first, as the gateway decodes it. */
const base64 = (text: string) =>
  btoa(Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join(''));

export const authorizationOf = (credentials: Credentials): string | undefined => {
  switch (credentials.kind) {
    case 'none':
      return undefined;
    case 'basic':
      return `Basic ${base64(`${credentials.user}:${credentials.password}`)}`;
    case 'token':
      return `Bearer ${credentials.token}`;
  }
};

export const rememberedCredentials = (): Credentials => {
  try {
    const saved = sessionStorage.getItem(KEY);
    return saved ? (JSON.parse(saved) as Credentials) : { kind: 'none' };
  } catch {
    return { kind: 'none' };
  }
};

export const remember = (credentials: Credentials) => {
  if (credentials.kind === 'none') sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, JSON.stringify(credentials));
};

export const whoOf = (credentials: Credentials, role: Role): string | null => {
  if (credentials.kind === 'basic') return credentials.user;
  if (credentials.kind === 'token') return `an API token (${role})`;
  return null;
};
