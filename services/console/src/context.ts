import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Call } from './api/client.ts';
import type { Session } from './api/session.ts';
import type { StreamState } from './live/event-stream.ts';

/** What every page may use: the API as the signed-in principal, who that is, and the workspace shown. */
export interface ConsoleContext {
  call: Call;
  session: Session;
  workspaceId: string;
  signOut(): void;
}

/** The event stream's state and a counter that moves when something changed in the log. */
export interface LiveContext {
  revision: number;
  state: StreamState;
}

export const Console = createContext<ConsoleContext | null>(null);
export const Live = createContext<LiveContext>({ revision: 0, state: 'connecting' });

export const useConsole = (): ConsoleContext => {
  const value = useContext(Console);
  if (!value) throw new Error('useConsole outside the signed-in console');
  return value;
};

export const useLive = (): LiveContext => useContext(Live);
