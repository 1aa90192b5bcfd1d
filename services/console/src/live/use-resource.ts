import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useLive } from '../context.ts';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

export interface ResourceOptions {
  /** Load again whenever the event stream reports a change (default true). */
  live?: boolean;
  /** Also load again this often, for what no event reports (a job's log lines); off when 0 or absent. */
  pollMs?: number;
}

/**
 * Loads `load()` when `key` changes, and again on every change the event stream reports. A reload keeps
 * the data shown until the new answer arrives, so a live page does not flicker; a new key starts empty.
 */
export const useResource = <T>(
  key: string,
  load: () => Promise<T>,
  options: ResourceOptions = {},
): Resource<T> => {
  const { revision } = useLive();
  const [state, setState] = useState<{ key: string; data?: T; error?: Error }>({ key });
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  const live = options.live ?? true;

  useEffect(() => {
    let current = true;
    loader.current().then(
      (data) => current && setState({ key, data }),
      (error: Error) => current && setState((previous) => ({ ...previous, key, error })),
    );
    return () => {
      current = false;
    };
  }, [key, live ? revision : 0, tick]);

  useEffect(() => {
    if (!options.pollMs) return;
    const timer = setInterval(() => setTick((t) => t + 1), options.pollMs);
    return () => clearInterval(timer);
  }, [options.pollMs]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const fresh = state.key === key;
  return {
    data: fresh ? state.data : undefined,
    error: fresh ? state.error : undefined,
    loading: !fresh || (state.data === undefined && state.error === undefined),
    reload,
  };
};
