import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openDatabase } from '../../src/db/database.js';
import { loadDemo } from '../../src/db/demo/load-demo.js';
import { findSessionStaff } from '../../src/web/accounts/sessions.js';
import { setDemoPasswords } from '../../src/web/accounts/demo-passwords.js';
import { loadClientRecords } from '../../src/web/data/client-records.js';
import { FindingsCache } from '../../src/web/data/findings-cache.js';
import { buildServer } from '../../src/web/server.js';
import { signIn } from '../../src/web/testing/web-test-app.js';

/**
 * Times one caseload request at a time, and the steps inside it, for the "Where the time goes"
 * notes in docs/benchmarks.md. A script, not a test:
 * `node dist/bench/http/profile-requests.js [repeat]` (default 100) on the 2,000-client demo in
 * PGlite, as the data officer. With `PROFILE_TO=FILE` it also writes a CPU profile of the
 * timed requests, for Chrome DevTools.
 */
async function main(): Promise<void> {
  const repeat = Number(process.argv[2] ?? 100);
  const dataDir = await mkdtemp(join(tmpdir(), 'waymark-profile-http-'));
  const database = await openDatabase({ dataDir });
  try {
    await loadDemo(database.db, { clients: 2000 });
    const signIns = await setDemoPasswords(database.db);
    const app = await buildServer({ db: database.db, logger: pino({ level: 'silent' }) });
    const user = 'kim.dataofficer@demo.invalid';
    const password = signIns.find((item) => item.email === user)?.password ?? '';
    const cookie = await signIn(app, user, password);
    const token = cookie.split('=')[1] ?? '';

    const profileTo = process.env['PROFILE_TO'];
    const session = new Session();
    if (profileTo) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    // A reference that matches no client gives the layout and search form with no table.
    for (const path of ['/']) {
      await timeSteps(path, repeat, () => app.inject({ url: path, headers: { cookie } }));
    }
    if (profileTo) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(profileTo, JSON.stringify(profile));
    }

    const pageIds = (await database.db.selectFrom('clients').select('id').orderBy('client_ref').orderBy('id').limit(50).execute()).map((row) => row.id);
    await timeSteps('session lookup', repeat, () => findSessionStaff(database.db, token, new Date(), 30 * 60 * 1000));
    await timeSteps('loading 50 clients (one query)', repeat, () => loadClientRecords(database.db, pageIds));
    const records = await loadClientRecords(database.db, pageIds);
    const cache = new FindingsCache();
    await timeSteps('findings of 50 clients, cached', repeat, async () => records.forEach((record) => cache.findingsOf(record)));
    await timeSteps('findings of 50 clients, not cached', repeat, async () => records.forEach((record) => new FindingsCache().findingsOf(record)));
    await app.close();
  } finally {
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Runs a step a few times to warm up, then `repeat` times, and prints wall and CPU time per run. */
async function timeSteps(name: string, repeat: number, step: () => Promise<unknown>): Promise<void> {
  for (let index = 0; index < 5; index += 1) await step();
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < repeat; index += 1) await step();
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6 / repeat;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000 / repeat;
  console.log(`${name}: ${wallMs.toFixed(2)} ms wall, ${cpuMs.toFixed(2)} ms CPU per run`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
