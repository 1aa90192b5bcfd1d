import type { Wakeup } from '@ferry/event-store';
import { createClient } from '@ferry/postgres';
import type pg from 'pg';

const firstDelayMs = 100;
const longestDelayMs = 5_000;

export interface AppendListener {
  close(): Promise<void>;
}

/**
 * The store's one listening connection: every append on the schema (from any process) sends a notification
 * at commit, and this rings `wakeup` for all the store's subscriptions. A lost connection (a PostgreSQL
 * restart) is reopened with growing delays; reopening rings too, since what was sent meanwhile is lost.
 * Until then the subscriptions' fallback poll covers. Resolves once listening; rejects if that fails.
 */
export async function listenForAppends(
  config: pg.ClientConfig,
  channel: string,
  wakeup: Wakeup,
): Promise<AppendListener> {
  let closed = false;
  let current: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let delayMs = firstDelayMs;
  const connect = async () => {
    // A lost connection emits 'error' (ignored by createClient), then 'end', which reconnects.
    const client = createClient(config);
    client.on('notification', () => wakeup.notify());
    client.on('end', () => {
      if (current !== client) return;
      current = undefined;
      retry();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      client.end().catch(() => {});
      throw error;
    }
    if (closed) await client.end();
    else current = client;
  };
  const retry = () => {
    if (closed) return;
    timer = setTimeout(() => {
      connect().then(() => {
        delayMs = firstDelayMs;
        wakeup.notify();
      }, retry);
    }, delayMs);
    delayMs = Math.min(delayMs * 2, longestDelayMs);
  };
  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const client = current;
      current = undefined;
      await client?.end();
    },
  };
}
