import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { openDatabase } from '../../db/database.js';
import type { OpenDatabase } from '../../db/database.js';
import { buildServer } from '../server.js';
import type { FastifyInstance } from 'fastify';
import { readForm } from '../testing/html-forms.js';
import { fetchCsrf, postFormWithoutCsrf, searchCaseload, seedStaff, signIn } from '../testing/web-test-app.js';

/** Values entered in the journey that must never reach a log line. */
const secrets = {
  clientRef: 'C-LOGCHECK-7',
  initials: 'QZ',
  dateOfBirth: ['1977-11-23', '23/11/1977', '23/11/77'],
  methadoneDose: '67.5',
  correctedMethadoneDose: '72.5',
};

/** Collects every log line the app writes, parsed. */
class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0));
    callback();
  }
}

void describe('log privacy', () => {
  const capture = new LogCapture();
  let database: OpenDatabase;
  let app: FastifyInstance;
  let cookie: string;

  before(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    app = await buildServer({ db: database.db, logger: pino({ level: 'debug' }, capture), setupToken: 'log-test-token' });
    const staff = await seedStaff(database, { roles: ['keyworker', 'prescriber'], registrations: ['gmc'] });
    cookie = await signIn(app, staff.email);
    await runJourney(staff.teamId);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  /** Fills the form on `page` that posts to `action`, starting from what the page shows. */
  async function submit(page: string, action: string, fields: Record<string, string | string[]>): Promise<string> {
    const csrf = await fetchCsrf(app, [page], cookie);
    const shown = await app.inject({ url: page, headers: { cookie: `${cookie}; ${csrf.cookie}` } });
    const form = readForm(shown.body, action);
    assert.ok(form, `no form for ${action} on ${page}`);
    const response = await postFormWithoutCsrf(app, action, { ...form, ...fields, _csrf: csrf.token }, `${cookie}; ${csrf.cookie}`);
    assert.equal(response.statusCode, 303, `${action} answered ${response.statusCode}`);
    return String(response.headers.location);
  }

  async function runJourney(teamId: number): Promise<void> {
    const clientPage = await submit('/clients/new', '/clients/new', {
      clientRef: secrets.clientRef,
      teamId: String(teamId),
      firstInitial: 'Q',
      surnameInitial: 'Z',
      'dob-day': '23',
      'dob-month': '11',
      'dob-year': '1977',
      sex: 'F',
      consent: 'Y',
    });
    const clientId = /\/clients\/(\d+)/.exec(clientPage)?.[1] ?? '';
    await app.inject({ url: `/clients/${clientId}`, headers: { cookie } });

    await submit(`/clients/${clientId}/episodes/new`, `/clients/${clientId}/episodes/new`, {
      'referral-day': '1', 'referral-month': '3', 'referral-year': '2024',
      'triage-day': '4', 'triage-month': '3', 'triage-year': '2024',
    });
    const episode = await database.db.selectFrom('episodes').select('id').where('client_id', '=', Number(clientId)).executeTakeFirstOrThrow();
    await submit(`/episodes/${episode.id}/interventions/new`, `/episodes/${episode.id}/interventions/new`, {
      interventionType: '94', setting: '1',
      'referral-day': '4', 'referral-month': '3', 'referral-year': '2024',
      'start-day': '5', 'start-month': '3', 'start-year': '2024',
    });
    await submit(`/episodes/${episode.id}/reviews/new`, `/episodes/${episode.id}/reviews/new`, {
      phase: 'in-treatment',
      'reviewDate-day': '10', 'reviewDate-month': '3', 'reviewDate-year': '2024',
      items: ['PHMETHMNT'],
      methadoneDose: secrets.methadoneDose,
      ostSupervision: '1',
    });
    const review = await database.db.selectFrom('reviews').select('id').where('episode_id', '=', episode.id).executeTakeFirstOrThrow();
    await submit(`/reviews/${review.id}/edit`, `/reviews/${review.id}/edit`, { methadoneDose: secrets.correctedMethadoneDose });

    // Searches carry initials, a date of birth and a client reference.
    await searchCaseload(app, { finitial: 'Q', sinitial: 'Z', 'dob-day': '23', 'dob-month': '11', 'dob-year': '1977' }, cookie);
    await searchCaseload(app, { ref: secrets.clientRef }, cookie);
  }

  void test('journey wrote request logs', () => {
    const completed = capture.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry['msg'] === 'request completed');
    assert.ok(completed.length >= 10, `only ${completed.length} request lines`);
    for (const entry of completed) {
      assert.equal(typeof entry['reqId'], 'string');
      assert.equal(typeof entry['route'], 'string');
      assert.equal(typeof entry['status'], 'number');
      assert.equal(typeof entry['durationMs'], 'number');
    }
    assert.ok(completed.some((entry) => typeof entry['staffId'] === 'number'));
  });

  void test('logs hold no identifying values', () => {
    const text = capture.lines.join('\n');
    assert.doesNotMatch(text, new RegExp(secrets.clientRef));
    assert.doesNotMatch(text, /"Q"|"Z"|QZ/);
    for (const date of secrets.dateOfBirth) assert.ok(!text.includes(date), `log contains ${date}`);
    assert.ok(!text.includes(secrets.methadoneDose), 'log contains the methadone dose');
    assert.ok(!text.includes(secrets.correctedMethadoneDose), 'log contains the corrected methadone dose');
    assert.doesNotMatch(text, /finitial|dob-day|ref=/);
  });
});
