import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { LocationProvider } from 'preact-iso';
import { ApiError, createCaller, messageOf } from './api/client.ts';
import { type Credentials, remember, rememberedCredentials, type Session, whoOf } from './api/session.ts';
import { Console, type ConsoleContext } from './context.ts';
import { LiveProvider } from './live/live-provider.tsx';
import { Routes } from './routes.tsx';
import { Shell } from './shell.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { Problem } from './ui/feedback.tsx';

type Boot =
  | { state: 'checking' }
  | { state: 'signed-out'; reason?: string }
  | { state: 'failed'; error: string }
  | { state: 'ready'; context: Omit<ConsoleContext, 'signOut'> };

const DEFAULT_SLUG = 'default';

/**
 * Signs in by asking for the default workspace (Airbyte's web app does the same). With authentication on, a
 * token's role is learnt by asking for the API tokens, which only an admin may list: 403 means `read`.
 */
const signIn = async (credentials: Credentials, onUnauthorized: () => void): Promise<Boot> => {
  const call = createCaller(credentials, onUnauthorized);
  try {
    const workspace = await call('getWorkspaceBySlug', { slug: DEFAULT_SLUG });
    let role: Session['role'] = 'admin';
    if (credentials.kind === 'token')
      role = await call('listApiTokens').then(
        () => 'admin' as const,
        (error: unknown) => (error instanceof ApiError && error.status === 403 ? 'read' : 'admin'),
      );
    const session: Session = { credentials, role, who: whoOf(credentials, role) };
    return { state: 'ready', context: { call, session, workspaceId: workspace.workspaceId } };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401)
      return { state: 'signed-out', reason: credentials.kind === 'none' ? undefined : error.message };
    return { state: 'failed', error: messageOf(error) };
  }
};

export const App = () => {
  const [credentials, setCredentials] = useState<Credentials>(rememberedCredentials);
  const [boot, setBoot] = useState<Boot>({ state: 'checking' });
  const signOut = useCallback(() => {
    remember({ kind: 'none' });
    setCredentials({ kind: 'none' });
  }, []);
  const expired = useCallback(
    () => setBoot({ state: 'signed-out', reason: 'Your sign-in is no longer accepted.' }),
    [],
  );

  useEffect(() => {
    let current = true;
    setBoot({ state: 'checking' });
    void signIn(credentials, expired).then((next) => {
      if (!current) return;
      if (next.state === 'ready') remember(credentials);
      setBoot(next);
    });
    return () => {
      current = false;
    };
  }, [credentials, expired]);

  const context = useMemo(
    () => (boot.state === 'ready' ? { ...boot.context, signOut } : null),
    [boot, signOut],
  );

  if (boot.state === 'checking')
    return (
      <main id="content" class="boot">
        <p role="status">Connecting to Ferry…</p>
      </main>
    );
  if (boot.state === 'failed')
    return (
      <main id="content" class="boot">
        <h1>Ferry</h1>
        <Problem error={boot.error} label="Ferry could not be reached" />
        <button type="button" onClick={() => setCredentials({ ...credentials })}>
          Try again
        </button>
      </main>
    );
  if (boot.state === 'signed-out' || !context)
    return (
      <SignIn reason={boot.state === 'signed-out' ? boot.reason : undefined} onSignIn={setCredentials} />
    );
  return (
    <Console.Provider value={context}>
      <LiveProvider credentials={credentials}>
        <LocationProvider>
          <Shell>
            <Routes />
          </Shell>
        </LocationProvider>
      </LiveProvider>
    </Console.Provider>
  );
};
