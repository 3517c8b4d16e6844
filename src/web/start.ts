import { pino } from 'pino';
import { openDatabase } from '../db/database.js';
import { buildServer } from './server.js';

/**
 * Starts the web app: `npm start`. Port from `PORT` (default 3000), data from
 * `WAYMARK_DATA_DIR` or `DATABASE_URL`. Behind a reverse proxy, `WAYMARK_TRUSTED_PROXIES`
 * lists the proxy addresses (comma-separated) whose X-Forwarded-For header is believed.
 */
async function main(): Promise<void> {
  const logger = pino({ name: 'waymark-web' });
  const port = Number(process.env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT is ${process.env['PORT']}, which is not a port number. Set PORT to a number from 0 to 65535.`);

  const opened = await openDatabase({ logger });
  const app = await buildServer({
    db: opened.db,
    logger,
    secureCookies: process.env['WAYMARK_SECURE_COOKIES'] === '1',
    trustedProxies: process.env['WAYMARK_TRUSTED_PROXIES'],
  });
  app.addHook('onClose', async () => opened.close());

  const staffRow = await opened.db.selectFrom('staff').select('id').limit(1).executeTakeFirst();
  if (!staffRow) {
    // The one-time token goes to the log on purpose: only someone who can read the
    // server's output may create the first administrator.
    logger.warn({ setupPath: '/setup', setupToken: app.setupToken }, 'no accounts yet: open /setup and enter this set-up token');
  }

  await app.listen({ port, host: process.env['HOST'] ?? '127.0.0.1' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping');
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'stop failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
