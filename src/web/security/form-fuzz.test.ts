import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { OpenDatabase } from '../../db/database.js';
import { cookieOf, createWebTestApp, errorSummaryOf, fetchCsrf, postForm, postFormWithoutCsrf, seedClientWithIntervention, seedStaff, signIn, testPassword } from '../testing/web-test-app.js';
import type { WebTestApp } from '../testing/web-test-app.js';
import { hashPassword } from '../accounts/passwords.js';
import { readForm } from '../testing/html-forms.js';
import type { FormFields } from '../testing/html-forms.js';

/** Runs per form. Each run posts once; kept small so the suite stays quick. */
const runsPerForm = 25;

/** Tables whose rows a rejected form may still add: the audit trail and sign-in sessions. */
const tablesAllowedToChange = new Set(['audit_events', 'sessions']);

/** Values that have broken form handlers elsewhere: blanks, huge, formulas, markup, control characters. */
const awkwardValue = fc.oneof(
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', '31', '2024-02-30', '29/02/2023', '=1+1', '<script>x</script>', '\u0000', '\r\n', 'ñ', '𝔘'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer().map(String),
  fc.constant('x'.repeat(3000)),
);

/** Generates one field's fuzzed value: kept, replaced, sent twice or dropped. */
function fuzzedField(original: string | string[]): fc.Arbitrary<string | string[] | undefined> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(original) },
    { weight: 4, arbitrary: awkwardValue },
    { weight: 1, arbitrary: fc.array(awkwardValue, { minLength: 2, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

function fuzzedForm(base: FormFields): fc.Arbitrary<FormFields> {
  const names = Object.keys(base).filter((name) => name !== '_csrf');
  const fields = Object.fromEntries(names.map((name) => [name, fuzzedField(base[name] ?? '')]));
  return fc.record(fields).map((values) => {
    const form: FormFields = {};
    for (const [name, value] of Object.entries(values)) if (value !== undefined) form[name] = value;
    return form;
  });
}

async function tableCounts(database: OpenDatabase): Promise<Record<string, number>> {
  const tables = ['organisations', 'agencies', 'teams', 'staff', 'staff_teams', 'clients', 'episodes', 'interventions', 'reviews', 'review_items', 'submissions'] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
    counts[table] = Number(row.count);
  }
  return counts;
}

interface FuzzTarget {
  /** Where the form is posted. */
  action: string;
  /** The page that shows the form, read for its field names and starting values. */
  page: string;
  cookie?: string;
  /**
   * Starting values for a form the page shows only in some states. Month-end forms appear
   * only once there are warnings or nothing is left to fix, so the page supplies just the token.
   */
  fields?: FormFields;
}

/**
 * Posts fuzzed versions of the form on a page and checks each response: never a server error,
 * a rejected form explains itself, and a rejected form leaves every record table as it was.
 */
async function fuzzForm(app: FastifyInstance, database: OpenDatabase, target: FuzzTarget): Promise<void> {
  const csrf = await fetchCsrf(app, [target.page], target.cookie);
  const pageResponse = await app.inject({ url: target.page, headers: { cookie: [target.cookie, csrf.cookie].filter(Boolean).join('; ') } });
  const base = target.fields ?? readForm(pageResponse.body, target.action);
  assert.ok(base, `No form posting to ${target.action} on ${target.page} (status ${pageResponse.statusCode})`);
  const cookie = [target.cookie, csrf.cookie].filter(Boolean).join('; ');

  await fc.assert(
    fc.asyncProperty(fuzzedForm(base), async (fields) => {
      const before = await tableCounts(database);
      const response = await postFormWithoutCsrf(app, target.action, { ...fields, _csrf: csrf.token }, cookie);
      assert.ok(response.statusCode < 500, `${target.action} answered ${response.statusCode}`);
      if (response.statusCode < 400) return;

      assert.ok(explainsItself(response.body), `${target.action} answered ${response.statusCode} without a message`);
      const afterCounts = await tableCounts(database);
      for (const [table, count] of Object.entries(afterCounts)) {
        if (tablesAllowedToChange.has(table)) continue;
        assert.equal(count, before[table], `${target.action} answered ${response.statusCode} but changed ${table}`);
      }
    }),
    { numRuns: runsPerForm },
  );
}

/** Checks that a 4xx page names the problem: an error summary, a field message or a page heading. */
function explainsItself(html: string): boolean {
  return errorSummaryOf(html).length > 0 || html.includes('nhsuk-error-message') || /<h1[^>]*>[^<]+<\/h1>/.test(html);
}

void describe('form fuzzing', () => {
  let web: WebTestApp;
  const targets: FuzzTarget[] = [];

  before(async () => {
    web = await createWebTestApp();
    const keyworker = await seedStaff(web.database, { roles: ['keyworker', 'prescriber'], email: 'kw@example.invalid', registrations: ['gmc'] });
    const seeded = await seedClientWithIntervention(web.database, keyworker);
    const intervention = await web.database.db.selectFrom('interventions').select('id').where('episode_id', '=', seeded.episodeId).executeTakeFirstOrThrow();
    const review = await web.database.db
      .insertInto('reviews')
      .values({ agency_id: keyworker.agencyId, episode_id: seeded.episodeId, review_ref: 'R-FUZZ', review_date: '2024-03-10', methadone_dose: 60, ost_supervision: '1' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await web.database.db.insertInto('review_items').values({ review_id: review.id, sub_intervention_code: 'PHMETHMNT' }).execute();
    const admin = await seedStaff(web.database, { roles: ['administrator'], email: 'admin@example.invalid', agencyCode: 'ADMN1' });
    const colleague = await web.database.db
      .insertInto('staff')
      .values({ organisation_id: admin.organisationId, email: 'colleague@example.invalid', display_name: 'Colleague', password_hash: null, roles: ['keyworker'], competences: [], registrations: [] })
      .returning('id')
      .executeTakeFirstOrThrow();
    // A client of another team at the keyworker's agency, opened only through break-glass.
    const otherTeam = await web.database.db.insertInto('teams').values({ agency_id: keyworker.agencyId, name: 'South team' }).returning('id').executeTakeFirstOrThrow();
    const outsideClient = await web.database.db
      .insertInto('clients')
      .values({ agency_id: keyworker.agencyId, client_ref: 'C-OUTSIDE', first_initial: 'K', surname_initial: 'L', date_of_birth: '1985-02-03', sex: 'F', consent: 'Y', team_id: otherTeam.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const keyworkerCookie = await signIn(web.app, keyworker.email);
    const officer = await web.database.db
      .insertInto('staff')
      .values({ organisation_id: keyworker.organisationId, email: 'officer@example.invalid', display_name: 'Officer', password_hash: await hashPassword(testPassword), roles: ['data-officer'], competences: [], registrations: [] })
      .returning('id')
      .executeTakeFirstOrThrow();
    await web.database.db.insertInto('staff_teams').values({ staff_id: officer.id, team_id: keyworker.teamId }).execute();
    const officerCookie = await signIn(web.app, 'officer@example.invalid');
    const adminCookie = await signIn(web.app, admin.email);
    const accountHolder = await seedStaff(web.database, { roles: ['keyworker'], email: 'account@example.invalid', agencyCode: 'ACCT1' });
    const accountCookie = await signIn(web.app, accountHolder.email);
    // An administrator half-way through signing in: password accepted, code still due.
    const codeHolder = await seedStaff(web.database, { roles: ['administrator'], email: 'code@example.invalid', agencyCode: 'CODE1' });
    const passwordStep = await postForm(web.app, '/sign-in', { email: codeHolder.email, password: testPassword });
    const challengeCookie = cookieOf(passwordStep, 'waymark_sign_in');

    targets.push(
      { action: '/sign-in/code', page: '/sign-in/code', cookie: challengeCookie },
      { action: '/sign-in', page: '/sign-in' },
      { action: '/search', page: '/', cookie: keyworkerCookie },
      { action: '/clients/new', page: '/clients/new', cookie: keyworkerCookie },
      { action: `/clients/${seeded.clientId}/edit`, page: `/clients/${seeded.clientId}/edit`, cookie: keyworkerCookie },
      { action: `/clients/${seeded.clientId}/episodes/new`, page: `/clients/${seeded.clientId}/episodes/new`, cookie: keyworkerCookie },
      { action: `/episodes/${seeded.episodeId}/edit`, page: `/episodes/${seeded.episodeId}/edit`, cookie: keyworkerCookie },
      { action: `/episodes/${seeded.episodeId}/interventions/new`, page: `/episodes/${seeded.episodeId}/interventions/new`, cookie: keyworkerCookie },
      { action: `/interventions/${intervention.id}/edit`, page: `/interventions/${intervention.id}/edit`, cookie: keyworkerCookie },
      { action: `/episodes/${seeded.episodeId}/reviews/new`, page: `/episodes/${seeded.episodeId}/reviews/new`, cookie: keyworkerCookie },
      { action: `/reviews/${review.id}/edit`, page: `/reviews/${review.id}/edit`, cookie: keyworkerCookie },
      { action: '/admin/staff/new', page: '/admin/staff/new', cookie: adminCookie },
      { action: '/admin/audit/find-client', page: '/admin/audit', cookie: adminCookie },
      { action: `/admin/staff/${colleague.id}`, page: `/admin/staff/${colleague.id}`, cookie: adminCookie },
      { action: `/admin/staff/${colleague.id}/disable`, page: '/admin/staff', cookie: adminCookie },
      { action: `/clients/${outsideClient.id}/break-glass`, page: `/clients/${outsideClient.id}/break-glass`, cookie: keyworkerCookie },
      // The data officer may view the keyworker's client but not change it, so the page shows the form.
      { action: `/clients/${seeded.clientId}/correction`, page: `/clients/${seeded.clientId}/correction`, cookie: officerCookie },
      { action: '/month-end/confirm', page: '/month-end?period=2024-03', cookie: officerCookie, fields: { agency: 'TEST1', period: '2024-03', rule: '', warnings: [] } },
      { action: '/month-end/record-check', page: '/month-end?period=2024-03', cookie: officerCookie, fields: { agency: 'TEST1', period: '2024-03' } },
      { action: '/month-end/generate', page: '/month-end?period=2024-03', cookie: officerCookie, fields: { agency: 'TEST1', period: '2024-03' } },
      { action: '/month-end/submissions/999999/sent', page: '/month-end/submissions', cookie: officerCookie, fields: { confirmSent: 'yes' } },
      { action: '/account/second-factor', page: '/account/second-factor', cookie: accountCookie },
      { action: '/account/password', page: '/account/password', cookie: accountCookie },
    );
  });
  after(async () => web.close());

  void test('every form answers without server errors', async () => {
    for (const target of targets) await fuzzForm(web.app, web.database, target);
  });

  void test('every posted route is fuzzed', () => {
    // A new form must be added to the targets above, so its fields are fuzzed too.
    const fuzzed = new Set(targets.map((target) => routePatternOf(target.action)));
    const unfuzzed = postRoutesOf(web.app).filter((route) => !fuzzed.has(route) && !routesWithoutFields.has(route));
    assert.deepEqual(unfuzzed, []);
  });

  void test('set-up form answers without server errors', async () => {
    const fresh = await createWebTestApp();
    try {
      await fuzzForm(fresh.app, fresh.database, { action: '/setup', page: '/setup' });
    } finally {
      await fresh.close();
    }
  });
});

/**
 * Posted routes left out of the targets: sign-out and replacing a second factor take no
 * field but the CSRF token, and set-up is fuzzed on its own database because it only works
 * before the first account.
 */
const routesWithoutFields = new Set(['/sign-out', '/account/second-factor/replace', '/setup']);

function routePatternOf(url: string): string {
  return url.replace(/\/\d+(?=\/|$)/g, '/:id');
}

function postRoutesOf(app: FastifyInstance): string[] {
  return app.registeredRoutes.filter((route) => route.method === 'POST').map((route) => route.url);
}
