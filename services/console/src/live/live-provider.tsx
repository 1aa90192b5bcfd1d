import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Credentials } from '../api/session.ts';
import { Live } from '../context.ts';
import { followEvents, type StreamState } from './event-stream.ts';

/** Changes within this window are reported together: a sync's burst of events costs one reload, not many. */
const BATCH_MS = 150;
/** Without the event stream (an older server, a proxy that buffers), pages load again this often. */
const FALLBACK_POLL_MS = 5_000;

/** Follows the event log while the console is open and tells pages when to load again. */
export const LiveProvider = ({
  credentials,
  children,
}: {
  credentials: Credentials;
  children: ComponentChildren;
}) => {
  const [revision, setRevision] = useState(0);
  const [state, setState] = useState<StreamState>('connecting');

  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      pending ??= setTimeout(() => {
        pending = undefined;
        setRevision((r) => r + 1);
      }, BATCH_MS);
    };
    const stop = followEvents({ credentials, onEvent: changed, onState: setState });
    return () => {
      stop();
      clearTimeout(pending);
    };
  }, [credentials]);

  useEffect(() => {
    if (state !== 'offline') return;
    const timer = setInterval(() => setRevision((r) => r + 1), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [state]);

  return <Live.Provider value={{ revision, state }}>{children}</Live.Provider>;
};
