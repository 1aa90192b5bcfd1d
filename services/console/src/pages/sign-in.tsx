import { useEffect, useState } from 'preact/hooks';
import type { Credentials } from '../api/session.ts';
import { Problem } from '../ui/feedback.tsx';

/** Authentication is on: the configured user with its password (an admin), or an API token (ADR 0009). */
export const SignIn = ({
  reason,
  onSignIn,
}: {
  reason: string | undefined;
  onSignIn(credentials: Credentials): void;
}) => {
  const [method, setMethod] = useState<'basic' | 'token'>('basic');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  useEffect(() => {
    document.title = 'Sign in · Ferry';
  }, []);
  const submit = (event: Event) => {
    event.preventDefault();
    onSignIn(method === 'basic' ? { kind: 'basic', user, password } : { kind: 'token', token: token.trim() });
  };
  return (
    <main id="content" class="sign-in">
      <h1>Sign in to Ferry</h1>
      <p>Authentication is on for this Ferry. Sign in as its user, or with an API token.</p>
      <Problem error={reason} />
      <form onSubmit={submit}>
        <fieldset>
          <legend>Sign in with</legend>
          <label class="radio">
            <input
              type="radio"
              name="method"
              checked={method === 'basic'}
              onChange={() => setMethod('basic')}
            />{' '}
            User and password
          </label>
          <label class="radio">
            <input
              type="radio"
              name="method"
              checked={method === 'token'}
              onChange={() => setMethod('token')}
            />{' '}
            An API token
          </label>
        </fieldset>
        {method === 'basic' ? (
          <>
            <div class="field">
              <label for="user">User</label>
              <input
                id="user"
                autoComplete="username"
                required
                value={user}
                onInput={(e) => setUser(e.currentTarget.value)}
              />
            </div>
            <div class="field">
              <label for="password">Password</label>
              <input
                id="password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </div>
          </>
        ) : (
          <div class="field">
            <label for="token">API token</label>
            <input
              id="token"
              type="password"
              autoComplete="off"
              required
              placeholder="fry_…"
              value={token}
              onInput={(e) => setToken(e.currentTarget.value)}
            />
            <small class="hint">A read token sees everything and changes nothing.</small>
          </div>
        )}
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </main>
  );
};
