import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, dateParts, todayInEngland } from '../../domain/plain-date.js';
import { checkPeriod } from '../../month-end/check.js';
import { withConfirmations } from '../../month-end/confirmations.js';
import { defaultThresholds } from '../../rules/thresholds.js';
import { createWebTestApp, errorSummaryOf, postForm, seedClientWithIntervention, seedStaff, signIn, searchCaseload } from '../testing/web-test-app.js';
import type { SeededStaff, WebTestApp } from '../testing/web-test-app.js';

const newClient = (teamId: number, overrides: Record<string, string> = {}) => ({
  clientRef: 'C-200',
  teamId: String(teamId),
  firstInitial: 'a',
  surnameInitial: 'B',
  'dob-day': '15',
  'dob-month': '7',
  'dob-year': '1990',
  sex: 'F',
  consent: 'Y',
  version: '',
  ...overrides,
});

/** Date-of-birth fields for a day counted from today in England. */
function dobFromToday(days: number): Record<string, string> {
  const { year, month, day } = dateParts(addDays(todayInEngland(), days));
  return { 'dob-day': String(day), 'dob-month': String(month), 'dob-year': String(year) };
}

void describe('client pages', () => {
  let web: WebTestApp;
  let staff: SeededStaff;
  let cookie: string;
  before(async () => {
    web = await createWebTestApp();
    staff = await seedStaff(web.database, { roles: ['keyworker'] });
    cookie = await signIn(web.app, staff.email);
  });
  after(async () => web.close());

  void test('new client form suggests a reference', async () => {
    const response = await web.app.inject({ url: '/clients/new', headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<html lang="en-GB">/);
    assert.match(response.body, /name="clientRef"[^>]*value="C-[A-Z2-9]{8}"/);
  });

  void test('impossible date of birth keeps typed values', async () => {
    const response = await postForm(web.app, '/clients/new', newClient(staff.teamId, { 'dob-day': '31', 'dob-month': '2', 'dob-year': '1990' }), cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#dob-day Date of birth must be a real date. 31/2/1990 does not exist.']);
    assert.match(response.body, /id="dob-day" name="dob-day" type="text" value="31"/);
    assert.match(response.body, /name="firstInitial" type="text" spellcheck="false" value="A"/);
  });

  void test('invalid sex code is rejected by the dataset parser', async () => {
    const response = await postForm(web.app, '/clients/new', newClient(staff.teamId, { sex: 'X' }), cookie);
    assert.equal(response.statusCode, 400);
    const [summary] = errorSummaryOf(response.body);
    assert.equal(summary, '#sex Sex is X, which is not one of its codes. Use one of: M (Male), F (Female), I (Indeterminate), Z (Not stated).');
  });

  void test('client is created then opened', async () => {
    const response = await postForm(web.app, '/clients/new', newClient(staff.teamId), cookie);
    assert.equal(response.statusCode, 303);
    const location = String(response.headers.location);
    assert.match(location, /^\/clients\/\d+\?notice=client-added$/);
    const page = await web.app.inject({ url: location, headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /C-200 AB/);
    assert.match(page.body, /15 July 1990/);
  });

  void test('double submission creates one client', async () => {
    const fields = newClient(staff.teamId, { clientRef: 'C-300', firstInitial: 'Q' });
    const first = await postForm(web.app, '/clients/new', fields, cookie);
    const second = await postForm(web.app, '/clients/new', fields, cookie);
    assert.equal(first.statusCode, 303);
    assert.equal(second.statusCode, 303);
    const rows = await web.database.db.selectFrom('clients').select('id').where('client_ref', '=', 'C-300').execute();
    assert.equal(rows.length, 1);
  });

  void test('possible duplicate needs confirmation', async () => {
    const fields = newClient(staff.teamId, { clientRef: 'C-201' });
    const warned = await postForm(web.app, '/clients/new', fields, cookie);
    assert.equal(warned.statusCode, 400);
    assert.match(errorSummaryOf(warned.body)[0] ?? '', /^#confirmDuplicate A client with initials AB, this date of birth and sex is already recorded/);
    assert.match(warned.body, /<a href="\/clients\/\d+">C-200<\/a>/);

    const confirmed = await postForm(web.app, '/clients/new', { ...fields, confirmDuplicate: 'yes' }, cookie);
    assert.equal(confirmed.statusCode, 303);
  });

  void test('stale client edit is refused', async () => {
    const seeded = await seedClientWithIntervention(web.database, staff, 'C-400');
    const fields = newClient(staff.teamId, { clientRef: 'C-400', firstInitial: 'K', version: '1' });
    await web.database.db.updateTable('clients').set({ version: 2 }).where('id', '=', seeded.clientId).execute();
    const response = await postForm(web.app, `/clients/${seeded.clientId}/edit`, fields, cookie);
    assert.equal(response.statusCode, 400);
    assert.match(errorSummaryOf(response.body)[0] ?? '', /^#firstInitial Someone else changed this client while you were editing/);
    assert.match(response.body, /name="firstInitial" type="text" spellcheck="false" value="K"/);
    const row = await web.database.db.selectFrom('clients').select('first_initial').where('id', '=', seeded.clientId).executeTakeFirstOrThrow();
    assert.equal(row.first_initial, 'J');
  });

  void test('future date of birth blocks adding', async () => {
    const response = await postForm(web.app, '/clients/new', newClient(staff.teamId, { clientRef: 'C-500', ...dobFromToday(1) }), cookie);
    assert.equal(response.statusCode, 400);
    const summary = errorSummaryOf(response.body);
    assert.equal(summary.length, 1);
    const ukDate = String.raw`\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}`;
    assert.match(
      summary[0] ?? '',
      new RegExp(`^#dob-day Date of birth is ${ukDate} on client C-500, after ${ukDate}, the last date this check accepts \\(the end of the reporting period, or today when no period is given\\)\\. Correct the date, or leave the record for a later submission\\.$`),
    );
    assert.match(response.body, new RegExp(`id="dob-day" name="dob-day" type="text" value="${dobFromToday(1)['dob-day']}"`));
    assert.match(response.body, /name="firstInitial" type="text" spellcheck="false" value="A"/);
    const rows = await web.database.db.selectFrom('clients').select('id').where('client_ref', '=', 'C-500').execute();
    assert.equal(rows.length, 0);
  });

  void test('date of birth before 1900 is rejected', async () => {
    const response = await postForm(web.app, '/clients/new', newClient(staff.teamId, { clientRef: 'C-501', 'dob-day': '1', 'dob-month': '2', 'dob-year': '0001' }), cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#dob-day Date of birth must be the same as or after 1 January 1900']);
    assert.match(response.body, /id="dob-day" name="dob-day" type="text" value="1"/);
    const rows = await web.database.db.selectFrom('clients').select('id').where('client_ref', '=', 'C-501').execute();
    assert.equal(rows.length, 0);
  });

  void test('client edit is saved', async () => {
    const seeded = await seedClientWithIntervention(web.database, staff, 'C-600');
    const fields = newClient(staff.teamId, { clientRef: 'C-600', firstInitial: 'K', surnameInitial: 'S', 'dob-year': '1991', version: '1' });
    const response = await postForm(web.app, `/clients/${seeded.clientId}/edit`, fields, cookie);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/clients/${seeded.clientId}?notice=client-changed`);
    const row = await web.database.db.selectFrom('clients').select(['first_initial', 'date_of_birth']).where('id', '=', seeded.clientId).executeTakeFirstOrThrow();
    assert.equal(row.first_initial, 'K');
    assert.equal(row.date_of_birth, '1991-07-15');
  });

  void test('future date of birth blocks editing', async () => {
    const seeded = await seedClientWithIntervention(web.database, staff, 'C-601');
    const fields = newClient(staff.teamId, { clientRef: 'C-601', firstInitial: 'J', surnameInitial: 'S', sex: 'M', version: '1', ...dobFromToday(1) });
    const response = await postForm(web.app, `/clients/${seeded.clientId}/edit`, fields, cookie);
    assert.equal(response.statusCode, 400);
    const summary = errorSummaryOf(response.body);
    assert.ok(summary.length >= 1);
    assert.ok(summary.every((message) => message.startsWith('#dob-day ')), summary.join('\n'));
    assert.ok(summary.some((message) => /date of birth/i.test(message)), summary.join('\n'));
    assert.ok(summary.every((message) => !/\bDOB\b|\d{2}\/\d{2}\/\d{4}/.test(message)), summary.join('\n'));
    assert.match(response.body, new RegExp(`id="dob-year" name="dob-year" type="text" value="${dobFromToday(1)['dob-year']}"`));
    const row = await web.database.db.selectFrom('clients').select('date_of_birth').where('id', '=', seeded.clientId).executeTakeFirstOrThrow();
    assert.equal(row.date_of_birth, '1990-07-15');
  });

  void test('age warning needs the tick', async () => {
    // Triage on 5 March 2024 at 14 years old is below the adult minimum age, a D9 warning.
    const seeded = await seedClientWithIntervention(web.database, staff, 'C-602');
    const fields = newClient(staff.teamId, { clientRef: 'C-602', firstInitial: 'J', surnameInitial: 'S', sex: 'M', version: '1', 'dob-day': '1', 'dob-month': '1', 'dob-year': '2010' });
    const warned = await postForm(web.app, `/clients/${seeded.clientId}/edit`, fields, cookie);
    assert.equal(warned.statusCode, 400);
    assert.deepEqual(errorSummaryOf(warned.body), ['#confirmWarnings Check the warnings, then tick "I have checked this" to save, or change your answers']);
    assert.ok(
      warned.body.includes(
        '<li>With date of birth 1 January 2010, client C-602 was 14 at triage date 5 March 2024 of episode C-602-E, outside the expected 18 to 100 for the adult dataset. ' +
          'Check date of birth and triage date, and confirm them if they are correct. <span class="waymark-code">Rule D9</span></li>',
      ),
    );
    assert.match(warned.body, /name="confirmWarnings" type="checkbox" value="yes"/);
    assert.match(warned.body, /id="dob-year" name="dob-year" type="text" value="2010"/);
    const unchanged = await web.database.db.selectFrom('clients').select('date_of_birth').where('id', '=', seeded.clientId).executeTakeFirstOrThrow();
    assert.equal(unchanged.date_of_birth, '1990-07-15');

    const confirmed = await postForm(web.app, `/clients/${seeded.clientId}/edit`, { ...fields, confirmWarnings: 'yes' }, cookie);
    assert.equal(confirmed.statusCode, 303);
    const saved = await web.database.db.selectFrom('clients').select('date_of_birth').where('id', '=', seeded.clientId).executeTakeFirstOrThrow();
    assert.equal(saved.date_of_birth, '2010-01-01');
  });

  void test('ticked warning is confirmed for month end', async () => {
    const { db } = web.database;
    const seeded = await seedClientWithIntervention(web.database, staff, 'C-603');
    const fields = newClient(staff.teamId, { clientRef: 'C-603', firstInitial: 'L', surnameInitial: 'S', sex: 'M', version: '1', 'dob-day': '1', 'dob-month': '1', 'dob-year': '2010', confirmWarnings: 'yes' });
    const saved = await postForm(web.app, `/clients/${seeded.clientId}/edit`, fields, cookie);
    assert.equal(saved.statusCode, 303);

    const agency = await db.selectFrom('agencies').select(['id', 'code']).where('id', '=', staff.agencyId).executeTakeFirstOrThrow();
    const check = await checkPeriod(db, { agency, period: { year: 2024, month: 3 }, thresholds: defaultThresholds });
    const reviewed = await withConfirmations(db, agency.id, check.findings);
    const ageWarnings = reviewed.filter((finding) => finding.code === 'D9' && finding.clientId === 'C-603');
    assert.equal(ageWarnings.length, 1);
    assert.equal(ageWarnings[0]?.confirmation?.confirmedBy, `staff:${staff.staffId}`);
    const confirmation = await db.selectFrom('warning_confirmations').select('id').where('rule_code', '=', 'D9').where('record_key', '=', ageWarnings[0]?.recordKey ?? '').executeTakeFirstOrThrow();
    const events = await db.selectFrom('audit_events').select('actor').where('action', '=', 'warning.confirm').where('entity_id', '=', String(confirmation.id)).execute();
    assert.deepEqual(events, [{ actor: `staff:${staff.staffId}` }]);

    // A later change to the confirmed record's values makes the confirmation lapse, as at month end.
    const changed = await postForm(web.app, `/clients/${seeded.clientId}/edit`, { ...fields, firstInitial: 'K', version: '2', confirmWarnings: '' }, cookie);
    assert.equal(changed.statusCode, 303);
    const recheck = await checkPeriod(db, { agency, period: { year: 2024, month: 3 }, thresholds: defaultThresholds });
    const rereviewed = await withConfirmations(db, agency.id, recheck.findings);
    const lapsed = rereviewed.filter((finding) => finding.code === 'D9' && finding.clientId === 'C-603');
    assert.equal(lapsed.length, 1);
    assert.equal(lapsed[0]?.confirmation, undefined);
  });

  void test('other team client is not found', async () => {
    const other = await seedStaff(web.database, { roles: ['keyworker'], email: 'other@example.invalid', agencyCode: 'OTHR1' });
    const seeded = await seedClientWithIntervention(web.database, other, 'C-900');
    const response = await web.app.inject({ url: `/clients/${seeded.clientId}`, headers: { cookie } });
    assert.equal(response.statusCode, 404);
  });

  void test('caseload finds a client by initials and date of birth', async () => {
    const { response } = await searchCaseload(web.app, { finitial: 'j', sinitial: 's', 'dob-day': '15', 'dob-month': '7', 'dob-year': '1990' }, cookie);
    assert.equal(response.statusCode, 200);
    assert.match(response.body, />C-400<\/a>/);
    assert.doesNotMatch(response.body, />C-200<\/a>/);
  });

  void test('caseload search by reference prefix', async () => {
    const { response } = await searchCaseload(web.app, { ref: 'c-2' }, cookie);
    assert.match(response.body, />C-200<\/a>/);
    assert.match(response.body, />C-201<\/a>/);
    assert.doesNotMatch(response.body, />C-400<\/a>/);
  });
});
