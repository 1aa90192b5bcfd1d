import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useConsole, useLive } from './context.ts';

const NAV = [
  {
    href: '/',
    label: 'Connections',
    matches: (path: string) => path === '/' || path.startsWith('/connections') || path.startsWith('/jobs'),
  },
  { href: '/sources', label: 'Sources', matches: (path: string) => path.startsWith('/sources') },
  {
    href: '/destinations',
    label: 'Destinations',
    matches: (path: string) => path.startsWith('/destinations'),
  },
  { href: '/audit', label: 'Audit trail', matches: (path: string) => path.startsWith('/audit') },
  { href: '/as-of', label: 'As of', matches: (path: string) => path.startsWith('/as-of') },
];

const LIVE_TEXT = { live: 'Live', connecting: 'Connecting…', offline: 'Reconnecting (reloading every 5 s)' };

/** The frame of every page: a skip link, the navigation, who is signed in, and whether updates are live. */
export const Shell = ({ children }: { children: ComponentChildren }) => {
  const { session, signOut } = useConsole();
  const { state } = useLive();
  const { path } = useLocation();
  return (
    <>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/">
          Ferry
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={item.matches(path) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class={`live live-${state}`} role="status">
            {LIVE_TEXT[state]}
          </span>
          {session.who && (
            <>
              <span>
                Signed in as {session.who}
                {session.role === 'read' ? ' (read only)' : ''}
              </span>
              <button type="button" class="link" onClick={signOut}>
                Sign out
              </button>
            </>
          )}
        </div>
      </header>
      <main id="content" tabIndex={-1}>
        {children}
      </main>
    </>
  );
};
