import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { openDatabase } from '../db/database.js';
import { searchKeyFromEnvironment } from './security/sealed-search.js';
import { buildServer } from './server.js';

/** Environment variable through which the primary process gives every worker the same set-up token. */
const setupTokenVariable = 'WAYMARK_WORKER_SETUP_TOKEN';

/** Environment variable with the key that seals caseload searches; workers must share one. */
const searchKeyVariable = 'WAYMARK_SEARCH_KEY';

/**
 * Starts the web app: `npm start`. Port from `PORT` (default 3000), data from `WAYMARK_DATA_DIR`
 * or `DATABASE_URL`. With `WAYMARK_WEB_PROCESSES` above 1 and PostgreSQL, a primary process
 * forks that many workers that share the port, so requests use every core. Behind a reverse
 * proxy, `WAYMARK_TRUSTED_PROXIES` lists the proxy addresses (comma-separated) whose
 * X-Forwarded-For header is believed.
 */
async function main(): Promise<void> {
  // Asynchronous writes: a profile of review saves put about a tenth of the web process's
  // time in the two synchronous log writes of each request. Lines written while a write is in
  // flight go out together. pino flushes what is pending when the process exits. A crash of
  // the process itself can lose the last lines, but never an audit event, which is in the database.
  const logger = pino({ name: 'waymark-web' }, pino.destination({ sync: false }));
  const port = readPort();
  const processes = readProcessCount();
  if (processes > 1 && !process.env['DATABASE_URL']) {
    throw new Error(`WAYMARK_WEB_PROCESSES is ${processes}, but the embedded PGlite database works inside one process only. Set DATABASE_URL to a PostgreSQL server, or set WAYMARK_WEB_PROCESSES to 1.`);
  }

  if (processes > 1 && cluster.isPrimary) {
    startWorkers(logger, processes);
    return;
  }
  await serve(logger, port);
}

function readPort(): number {
  const port = Number(process.env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT is ${process.env['PORT']}, which is not a port number. Set PORT to a number from 0 to 65535.`);
  return port;
}

function readProcessCount(): number {
  const text = process.env['WAYMARK_WEB_PROCESSES'] ?? '1';
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new Error(`WAYMARK_WEB_PROCESSES is ${text}, which is not a process count. Set it to a whole number from 1 to 64.`);
  return count;
}

/** Opens the database and listens. In a worker, the port is shared through the primary process. */
async function serve(logger: Logger, port: number): Promise<void> {
  const opened = await openDatabase({ logger });
  const setupToken = process.env[setupTokenVariable];
  const app = await buildServer({
    db: opened.db,
    listen: opened.listen,
    logger,
    secureCookies: process.env['WAYMARK_SECURE_COOKIES'] === '1',
    trustedProxies: process.env['WAYMARK_TRUSTED_PROXIES'],
    ...(setupToken ? { setupToken } : {}),
    searchKey: searchKeyFromEnvironment(process.env[searchKeyVariable]),
  });
  app.addHook('onClose', async () => opened.close());

  const staffRow = await opened.db.selectFrom('staff').select('id').limit(1).executeTakeFirst();
  // Workers share one token, so only the first worker logs it.
  if (!staffRow && (cluster.isPrimary || cluster.worker?.id === 1)) {
    // The one-time token goes to the log on purpose: only someone who can read the
    // server's output may create the first administrator.
    logger.warn({ setupPath: '/setup', setupToken: app.setupToken }, 'no accounts yet: open /setup and enter this set-up token');
  }

  await app.listen({ port, host: process.env['HOST'] ?? '127.0.0.1' });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // A worker can get the same signal twice, from the terminal and from the primary.
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
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

/**
 * Forks the workers and replaces any that exits after it was listening. A worker that exits
 * before it listens (a database it cannot reach, say) stops the whole server, so a broken
 * set-up does not fork forever. On SIGINT or SIGTERM the primary passes the signal on and
 * exits once every worker has stopped.
 */
function startWorkers(logger: Logger, count: number): void {
  let stopping = false;
  const listening = new Set<number>();
  const env = {
    [setupTokenVariable]: randomBytes(12).toString('base64url'),
    // A search sealed by one worker must open on the others, so they share one key.
    [searchKeyVariable]: process.env[searchKeyVariable] || randomBytes(32).toString('base64'),
  };
  for (let index = 0; index < count; index += 1) cluster.fork(env);
  logger.info({ processes: count }, 'web workers starting');

  const liveWorkers = (): number => Object.keys(cluster.workers ?? {}).length;
  const stopWorkers = (signal: NodeJS.Signals): void => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };

  cluster.on('listening', (worker) => listening.add(worker.id));
  cluster.on('exit', (worker, code, signal) => {
    const details = { workerId: worker.id, pid: worker.process.pid, code, signal };
    if (!stopping && listening.has(worker.id)) {
      logger.error(details, 'web worker exited; starting another');
      cluster.fork(env);
      return;
    }
    if (!stopping) {
      logger.error(details, 'web worker failed to start; stopping');
      process.exitCode = 1;
      stopWorkers('SIGTERM');
    }
    if (liveWorkers() === 0) process.exit();
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping web workers');
      stopWorkers(signal);
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
