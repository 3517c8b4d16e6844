import autocannon from 'autocannon';
import { startBrowserServer } from '../../src/web/testing/browser.js';
import { seedClientWithIntervention, testPassword } from '../../src/web/testing/web-test-app.js';

/**
 * Measures requests per second and latency of the caseload and review form pages with
 * autocannon, on a loopback server with a throwaway PGlite database. A script, not a test:
 * `node dist/bench/http/run.js [clients] [seconds]` (defaults 50 and 10).
 */
async function main(): Promise<void> {
  const clients = Number(process.argv[2] ?? 50);
  const seconds = Number(process.argv[3] ?? 10);
  const server = await startBrowserServer();
  try {
    let episodeId = 0;
    for (let index = 0; index < clients; index += 1) {
      episodeId = (await seedClientWithIntervention(server.database, server.staff, `C-B${index}`)).episodeId;
    }
    const cookie = await signInOverHttp(server.baseUrl, server.staff.email);
    for (const path of ['/', `/episodes/${episodeId}/reviews/new`]) {
      const result = await autocannon({ url: `${server.baseUrl}${path}`, connections: 10, duration: seconds, headers: { cookie } });
      console.log(`${path}: ${result.requests.average} requests/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx of ${result.requests.total}`);
    }
  } finally {
    await server.close();
  }
}

/** Signs in through the real HTTP listener and returns the `Cookie` header value. */
async function signInOverHttp(baseUrl: string, email: string): Promise<string> {
  const response = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: testPassword }).toString(),
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (response.status !== 303 || !cookie) throw new Error(`Sign-in as ${email} failed with status ${response.status}`);
  return cookie;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
