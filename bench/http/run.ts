import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { openDatabase } from '../../src/db/database.js';
import { loadDemo } from '../../src/db/demo/load-demo.js';
import { setDemoPasswords } from '../../src/web/accounts/demo-passwords.js';
import { buildServer } from '../../src/web/server.js';
import { formBodyOf, openReviewForms } from './review-forms.js';
import type { ReviewForm } from './review-forms.js';

/** Sees the whole demo organisation, so the caseload has every client to page through. */
const caseloadUser = 'kim.dataofficer@demo.invalid';
/** A prescriber of two teams, so the forms carry prescribing items forward. */
const reviewUser = 'gita.prescriber@demo.invalid';

/**
 * Measures the caseload page, saving a review and a bare Fastify route serving a fixed page
 * of the caseload's size, all on loopback in one process, against the demo service that
 * `waymark demo` loads. A script, not a test:
 * `node dist/bench/http/run.js [clients] [seconds] [connections]` (defaults 2000, 20, 50).
 */
async function main(): Promise<void> {
  const clients = Number(process.argv[2] ?? 2000);
  const seconds = Number(process.argv[3] ?? 20);
  const connections = Number(process.argv[4] ?? 50);
  const dataDir = await mkdtemp(join(tmpdir(), 'waymark-bench-http-'));
  const database = await openDatabase({ dataDir });
  const servers: FastifyInstance[] = [];
  try {
    await loadDemo(database.db, { clients });
    const signIns = await setDemoPasswords(database.db);
    const passwordOf = (email: string): string => signIns.find((item) => item.email === email)?.password ?? '';
    const app = await buildServer({ db: database.db, logger: pino({ level: 'silent' }) });
    servers.push(app);
    const baseUrl = await listen(app);

    const caseloadCookie = await signInOverHttp(baseUrl, caseloadUser, passwordOf(caseloadUser));
    const caseloadPage = await (await fetch(`${baseUrl}/`, { headers: { cookie: caseloadCookie } })).text();
    const bare = bareServer(caseloadPage);
    servers.push(bare);
    const bareUrl = await listen(bare);

    const reviewCookie = await signInOverHttp(baseUrl, reviewUser, passwordOf(reviewUser));
    const forms = await openReviewForms(baseUrl, reviewCookie, database.db, 400);
    console.log(`${clients} clients, ${forms.length} review forms opened, caseload page ${caseloadPage.length} characters`);

    report('bare route', await autocannon({ url: `${bareUrl}/`, connections, duration: seconds }));
    report('caseload /', await autocannon({ url: `${baseUrl}/`, connections, duration: seconds, headers: { cookie: caseloadCookie } }));
    report('review save', await autocannon(reviewSaveOptions(baseUrl, reviewCookie, forms, connections, seconds)));
  } finally {
    for (const server of servers) await server.close();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Builds requests that each save a review with a new reference on the next episode in turn. */
function reviewSaveOptions(baseUrl: string, cookie: string, forms: ReviewForm[], connections: number, seconds: number): autocannon.Options {
  let sent = 0;
  return {
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const form = forms[sent % forms.length] as ReviewForm;
          sent += 1;
          return {
            ...request,
            path: `/episodes/${form.episodeId}/reviews/new`,
            headers: { ...request.headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
            body: formBodyOf(form, `R-BENCH${sent}`),
          };
        },
      },
    ],
  };
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
  const response = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (response.status !== 303 || !cookie) throw new Error(`Sign-in as ${email} failed with status ${response.status}`);
  return cookie;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
