import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Logger } from 'pino';

/** Receives the notices of one channel. Notices sent while the listener is disconnected are lost. */
export interface NoticeHandlers {
  notice(): void;
  connected(isConnected: boolean): void;
}

/** Starts listening on a channel (PostgreSQL `LISTEN`) and returns the function that stops it. */
export type Listen = (channel: string, handlers: NoticeHandlers) => Promise<() => Promise<void>>;

/** Delay before a lost PostgreSQL listener connects again. */
const reconnectDelayMs = 1000;

/**
 * Listens on PostgreSQL over a connection of its own, outside the pool, because a pooled
 * connection goes back to other queries between requests. A lost connection is reported
 * and opened again until the listener is stopped. A failed first connection does not throw:
 * the listener stays disconnected and keeps trying.
 */
export function listenOnPostgres(connectionString: string, logger?: Logger): Listen {
  return async (channel, handlers) => {
    let current: pg.Client | undefined;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;

    const lose = (client: pg.Client, error?: unknown): void => {
      if (current !== client) return;
      current = undefined;
      handlers.connected(false);
      logger?.warn({ err: error, channel }, 'notice listener lost its connection: connecting again');
      void client.end().catch(() => undefined);
      if (!stopped) retry = setTimeout(() => void connect(), reconnectDelayMs);
    };

    const connect = async (): Promise<void> => {
      const client = new pg.Client({ connectionString });
      client.on('notification', (message) => {
        if (message.channel === channel) handlers.notice();
      });
      client.on('error', (error) => lose(client, error));
      client.on('end', () => lose(client));
      current = client;
      try {
        await client.connect();
        await client.query(`listen ${client.escapeIdentifier(channel)}`);
      } catch (error) {
        lose(client, error);
        return;
      }
      if (current === client) handlers.connected(true);
    };

    await connect();
    return async () => {
      stopped = true;
      clearTimeout(retry);
      const client = current;
      current = undefined;
      await client?.end();
    };
  };
}

/**
 * Listens on the embedded database. It runs in this process, so its listener is never
 * disconnected while the database is open.
 */
export function listenOnPGlite(pglite: PGlite): Listen {
  return async (channel, handlers) => {
    const unlisten = await pglite.listen(channel, () => handlers.notice());
    handlers.connected(true);
    return async () => {
      handlers.connected(false);
      // A closed database has no listener left to remove.
      if (!pglite.closed) await unlisten();
    };
  };
}
