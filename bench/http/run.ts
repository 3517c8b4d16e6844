import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { loadDemo } from '../../src/db/demo/load-demo.js';
import { setDemoPasswords } from '../../src/web/accounts/demo-passwords.js';
import type { WebDatabase } from '../../src/web/data/tables.js';
import { formBodyOf, openReviewForms } from './review-forms.js';
import type { ReviewForm } from './review-forms.js';

/** Sees the whole demo organisation, so the caseload has every client to page through. */
const caseloadUser = 'kim.dataofficer@demo.invalid';
/** A prescriber of two teams, so the forms carry prescribing items forward. */
const reviewUser = 'gita.prescriber@demo.invalid';

/**
 * Measures the caseload page, saving a review and a bare Fastify route serving a fixed page
 * of the caseload's size, on loopback, against the demo service that `waymark demo` loads.
 * A script, not a test:
 *
 *   node dist/bench/http/run.js [clients] [seconds] [connections]                 (defaults 2000, 20, 50)
 *   node dist/bench/http/run.js 2000 20 50 --admin-url postgres://postgres@127.0.0.1:5432/postgres [--processes 2]
 *
 * `--routes bare,caseload,save` measures only the routes listed. `--profile-dir DIR` starts
 * the server with `--cpu-prof`, writing a CPU profile of each server
 * process to DIR when it stops.
 *
 * Without `--admin-url` the web app runs in this process on a throwaway PGlite database, as
 * `npm start` runs it. With it, the script creates a PostgreSQL database (dropped at the end)
 * and starts `dist/src/web/start.js` as a child with `WAYMARK_WEB_PROCESSES` workers, the
 * production mode. Autocannon and the bare route always run in this process.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'admin-url': { type: 'string' },
      processes: { type: 'string', default: '2' },
      'profile-dir': { type: 'string' },
      'server-log': { type: 'string' },
      routes: { type: 'string', default: 'bare,caseload,save' },
      'database-name': { type: 'string', default: `waymark_bench_http_${process.pid}` },
    },
  });
  const clients = Number(positionals[0] ?? 2000);
  const seconds = Number(positionals[1] ?? 20);
  const connections = Number(positionals[2] ?? 50);
  const server: ServerOptions = {
    nodeArgs: values['profile-dir'] ? ['--cpu-prof', '--cpu-prof-dir', values['profile-dir']] : [],
    ...(values['server-log'] ? { logFile: values['server-log'] } : {}),
  };
  const target = values['admin-url']
    ? await startOnPostgres(values['admin-url'], values['database-name'], Number(values.processes), clients, server)
    : await startOnPGlite(clients, server);
  const servers: FastifyInstance[] = [];
  try {
    const { baseUrl, episodeIds, signIns } = target;
    const passwordOf = (email: string): string => signIns.find((item) => item.email === email)?.password ?? '';

    const caseloadCookie = await signInOverHttp(baseUrl, caseloadUser, passwordOf(caseloadUser));
    const caseloadPage = await (await fetch(`${baseUrl}/`, { headers: { cookie: caseloadCookie } })).text();
    const bare = bareServer(caseloadPage);
    servers.push(bare);
    const bareUrl = await listen(bare);

    const reviewCookie = await signInOverHttp(baseUrl, reviewUser, passwordOf(reviewUser));
    const forms = await openReviewForms(baseUrl, reviewCookie, episodeIds, 400);
    console.log(`${target.description}: ${clients} clients, ${forms.length} review forms that save unchanged, caseload page ${caseloadPage.length} characters`);

    const routes = new Set(values.routes.split(','));
    if (routes.has('bare')) report('bare route', await autocannon({ url: `${bareUrl}/`, connections, duration: seconds }));
    if (routes.has('caseload')) report('caseload /', await autocannon({ url: `${baseUrl}/`, connections, duration: seconds, headers: { cookie: caseloadCookie } }));
    if (routes.has('save')) report('review save', await autocannon(reviewSaveOptions(baseUrl, reviewCookie, forms, connections, seconds)));
  } finally {
    for (const server of servers) await server.close();
    await target.stop();
  }
}

interface BenchTarget {
  description: string;
  baseUrl: string;
  /** Open episodes of the demo, for choosing review forms. */
  episodeIds: number[];
  signIns: { email: string; password: string }[];
  stop(): Promise<void>;
}

/**
 * Loads the demo into a throwaway PGlite folder and starts the web server on it as `npm start`
 * does, in its own process. PGlite opens a folder from one process at a time, so this process
 * reads what it needs and closes the database first.
 */
async function startOnPGlite(clients: number, options: ServerOptions): Promise<BenchTarget> {
  const dataDir = await mkdtemp(join(tmpdir(), 'waymark-bench-http-'));
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const database = await openDatabase({ dataDir });
    await loadDemo(database.db, { clients });
    const signIns = await setDemoPasswords(database.db);
    const episodeIds = await openEpisodeIds(database.db);
    await database.close();
    const server = await startServer({ WAYMARK_DATA_DIR: dataDir }, options);
    child = server;
    return { description: 'PGlite, web server in its own process', baseUrl: server.baseUrl, episodeIds, signIns, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Loads the demo into a new PostgreSQL database and starts the production web server on it. */
async function startOnPostgres(adminUrl: string, name: string, processes: number, clients: number, options: ServerOptions): Promise<BenchTarget> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`--database-name ${name} is not a plain lower-case SQL name. Use letters, digits and underscores.`);
  await withAdmin(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await database.close();
    await withAdmin(adminUrl, `drop database if exists ${name} with (force)`);
  };
  try {
    await loadDemo(database.db, { clients });
    const signIns = await setDemoPasswords(database.db);
    const episodeIds = await openEpisodeIds(database.db);
    const server = await startServer({ DATABASE_URL: url.toString(), WAYMARK_WEB_PROCESSES: String(processes) }, options);
    child = server;
    return { description: `PostgreSQL, ${processes} web processes`, baseUrl: server.baseUrl, episodeIds, signIns, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const startScript = fileURLToPath(new URL('../../src/web/start.js', import.meta.url));

interface ServerOptions {
  /** Arguments for Node.js before the script, such as those that write CPU profiles. */
  nodeArgs: string[];
  /** File that keeps the server's log. Without it the log is written but not kept. */
  logFile?: string;
}

/** Starts `dist/src/web/start.js` on a free loopback port and waits until it responds. */
async function startServer(environment: Record<string, string>, options: ServerOptions): Promise<ChildProcess & { baseUrl: string }> {
  const port = await freePort();
  const log = options.logFile ? openSync(options.logFile, 'w') : 'ignore';
  const child = spawn(process.execPath, [...options.nodeArgs, startScript], {
    env: { ...process.env, ...environment, PORT: String(port), HOST: '127.0.0.1' },
    // The server writes its request log as in service, kept only with --server-log.
    stdio: ['ignore', log, 'inherit'],
  });
  if (typeof log === 'number') closeSync(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return Object.assign(child, { baseUrl });
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Open episodes in id order: the review forms are opened from these. */
/**
 * Returns the first open episode of each client, in id order. One episode per client keeps
 * two connections from saving reviews for the same client at the same moment, which two
 * workers rarely do and which would make saves wait on each other's row lock.
 */
async function openEpisodeIds(db: WebDatabase): Promise<number[]> {
  const rows = await db.selectFrom('episodes').select(['client_id', 'id']).distinctOn('client_id').where('discharge_date', 'is', null).orderBy('client_id').orderBy('id').execute();
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

async function withAdmin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Asks the system for a free loopback port, for the child server to listen on. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForHealth(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The web server exited with code ${child.exitCode} before it responded to ${baseUrl}/health`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The web server did not respond to ${baseUrl}/health within 60 s`);
}

/**
 * Builds requests that each save a review with a new reference. Each connection saves its own
 * share of the forms in turn, as each worker's browser keeps its own connection, so the saves
 * of one form reach the same web process.
 */
function reviewSaveOptions(baseUrl: string, cookie: string, forms: ReviewForm[], connections: number, seconds: number): autocannon.Options {
  let sent = 0;
  let connectionsSeen = 0;
  const saveRequest = (share: ReviewForm[]): autocannon.Request => {
    let saves = 0;
    return {
      method: 'POST',
      setupRequest: (request) => {
        const form = share[saves % share.length] as ReviewForm;
        saves += 1;
        sent += 1;
        return {
          ...request,
          path: `/episodes/${form.episodeId}/reviews/new`,
          headers: { ...request.headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: formBodyOf(form, `R-BENCH${sent}`),
        };
      },
    };
  };
  return {
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [saveRequest(forms)],
    // autocannon calls this once for each connection it opens.
    setupClient: (client) => client.setRequests([saveRequest(sharedOut(forms, connections, connectionsSeen++))]),
  };
}

/** Returns the forms of one connection: every `connections`-th form from its own offset, or all forms when there are fewer forms than connections. */
function sharedOut(forms: ReviewForm[], connections: number, connection: number): ReviewForm[] {
  const share = forms.filter((_, index) => index % connections === connection % connections);
  return share.length > 0 ? share : forms;
}

/** Builds a route with no session, database or template: the floor the real pages are compared with. */
function bareServer(page: string): FastifyInstance {
  const bare = Fastify({ logger: false });
  bare.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  return bare;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

function report(name: string, result: autocannon.Result): void {
  const statuses = `2xx ${result['2xx']}, 3xx ${result['3xx'] ?? 0}, 4xx ${result['4xx']}, 5xx ${result['5xx']}`;
  console.log(`${name}: ${result.requests.average} requests/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.requests.total} requests (${statuses}), errors ${result.errors}, timeouts ${result.timeouts}`);
}

/** Signs in through the real HTTP listener and returns the `Cookie` header value. */
async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<string> {
  // Sign-in is a form like any other: it needs the CSRF secret cookie and the token the page carries.
  const page = await fetch(`${baseUrl}/sign-in`);
  const csrfCookie = page.headers.getSetCookie().find((value) => value.startsWith('_csrf='))?.split(';')[0] ?? '';
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, _csrf: token }).toString(),
  });
  const session = response.headers.getSetCookie().find((value) => value.startsWith('waymark_session='))?.split(';')[0];
  if (response.status !== 303 || !session) throw new Error(`Sign-in as ${email} failed with status ${response.status}`);
  return `${session}; ${csrfCookie}`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
