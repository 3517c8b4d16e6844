import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadDemo, type DemoSummary } from '../../db/demo/load-demo.js';
import { todayInEngland } from '../../domain/plain-date.js';
import { formatReportingPeriod } from '../../domain/reporting-period.js';
import { lastCompleteMonth } from '../../month-end/submission-period.js';
import { hashPassword } from '../accounts/passwords.js';
import { createWebTestApp, decodeEntities, errorSummaryOf, postForm, signIn, testPassword, type WebTestApp } from '../testing/web-test-app.js';

const dataOfficer = 'kim.dataofficer@demo.invalid';
const keyworker = 'ana.keyworker@demo.invalid';
const checkUrl = '/month-end?agency=DEMO1&period=2024-03';

/** Returns the month the check page fills in when none is given, such as 2026-11. */
function lastCompleteMonthText(): string {
  return formatReportingPeriod(lastCompleteMonth(todayInEngland()));
}

/** Links in the page's error table, as `href text`, in page order. */
function fixLinks(html: string): string[] {
  const table = /id="errors"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  return [...table.matchAll(/<a href="([^"]+)">([^<]+)</g)].map((match) => `${match[1]} ${decodeEntities(match[2] ?? '')}`);
}

void describe('month-end pages', () => {
  let web: WebTestApp;
  let summary: DemoSummary;
  let cookie: string;

  before(async () => {
    web = await createWebTestApp();
    summary = await loadDemo(web.database.db, { clients: 150, period: { year: 2024, month: 3 } });
    const passwordHash = await hashPassword(testPassword);
    // The data officer also keyworks here, so the finding links open the edit forms.
    await web.database.db.updateTable('staff').set({ password_hash: passwordHash, roles: ['data-officer', 'keyworker'] }).where('email', '=', dataOfficer).execute();
    await web.database.db.updateTable('staff').set({ password_hash: passwordHash }).where('email', '=', keyworker).execute();
    cookie = await signIn(web.app, dataOfficer);
  });
  after(async () => {
    await web.close();
  });

  void it('check page refuses a keyworker', async () => {
    const keyworkerCookie = await signIn(web.app, keyworker);
    const response = await web.app.inject({ url: checkUrl, headers: { cookie: keyworkerCookie } });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /You do not have access to this page/);
    assert.doesNotMatch(response.body, /href="\/month-end"/);
  });

  void it('check page lists findings with links', async () => {
    const response = await web.app.inject({ url: checkUrl, headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /href="\/month-end" aria-current="page">Month end</);

    const links = fixLinks(response.body);
    assert.equal(links.length, 2);
    assert.match(links[0] ?? '', /^\/reviews\/\d+\/edit#methadoneDose Change the review$/);
    assert.match(links[1] ?? '', /^\/interventions\/\d+\/edit#end-day Change the intervention$/);
    for (const problem of summary.planted) assert.match(response.body, new RegExp(`${problem.clientId}`), `client ${problem.clientId} is not listed`);
    assert.match(response.body, /name="rule" value="A9"/);
    assert.match(response.body, /name="rule" value="D9"/);
    assert.match(response.body, /Dev Keyworker|Ana Keyworker|Ben Keyworker|Cara Keyworker|Eve Keyworker|Finn Keyworker|Ivy Team Leader|Jon Team Leader/);
    assert.doesNotMatch(response.body, /Generate submission<\/button>/);
  });

  void it('finding links land on form fields', async () => {
    const page = await web.app.inject({ url: checkUrl, headers: { cookie } });
    const warningLinks = [...page.body.matchAll(/<a href="(\/(?:clients\/\d+\/edit|episodes\/\d+\/edit|interventions\/\d+\/edit|reviews\/\d+\/edit)#([^"]+))"/g)];
    assert.ok(warningLinks.length >= 3, 'expected edit links for A2, D6 and D9');
    assert.ok(warningLinks.some(([, href]) => href?.startsWith('/reviews/')), 'expected an edit link for the A2 review');
    for (const [, href, anchor] of warningLinks) {
      const form = await web.app.inject({ url: (href ?? '').split('#')[0] ?? '', headers: { cookie } });
      assert.equal(form.statusCode, 200, `${href}`);
      assert.match(form.body, new RegExp(`id="${anchor}"`), `${href} has no input with id ${anchor}`);
    }
  });

  void it('confirm needs a selection', async () => {
    const response = await postForm(web.app, '/month-end/confirm', { agency: 'DEMO1', period: '2024-03' }, cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#warnings Select at least one warning that is not yet confirmed, or use a "Confirm all" button']);
  });

  void it('generate refuses with errors', async () => {
    const response = await postForm(web.app, '/month-end/generate', { agency: 'DEMO1', period: '2024-03' }, cookie);
    assert.equal(response.statusCode, 400);
    const [message] = errorSummaryOf(response.body);
    assert.match(message ?? '', /^#generate The submission was not generated: 2 errors remain and \d+ warnings are not confirmed\./);
  });

  void it('record-check refuses with errors', async () => {
    const response = await postForm(web.app, '/month-end/record-check', { agency: 'DEMO1', period: '2024-03' }, cookie);
    assert.equal(response.statusCode, 400);
    const [message] = errorSummaryOf(response.body);
    assert.match(message ?? '', /^#generate The check was not recorded: 2 errors remain and \d+ warnings are not confirmed\. Fix every error and confirm every warning, then record the check again\.$/);
    assert.equal((await web.database.db.selectFrom('submissions').select('id').execute()).length, 0);
  });

  void it('record-check needs the posted month', async () => {
    const response = await postForm(web.app, '/month-end/record-check', {}, cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#generate Choose the agency and reporting month on the check page, then record the check from there']);
  });

  void it('generate refuses a future month', async () => {
    const response = await postForm(web.app, '/month-end/generate', { agency: 'DEMO1', period: '2099-01' }, cookie);
    assert.equal(response.statusCode, 400);
    assert.match(errorSummaryOf(response.body)[0] ?? '', /^#generate 2099-01 is a future month\. Only a complete month can be submitted; the latest is \d{4}-\d{2}\.$/);
  });

  void it('month before the first episode', async () => {
    const { db } = web.database;
    const earliest = await db.selectFrom('episodes').select((eb) => eb.fn.min('referral_date').as('first')).executeTakeFirstOrThrow();
    const firstMonth = String(earliest.first).slice(0, 7);
    const expected = `1900-01 ends before DEMO1's earliest episode referral. The earliest month that can be submitted is ${firstMonth}.`;

    const page = await web.app.inject({ url: '/month-end?agency=DEMO1&period=1900-01', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.ok(decodeEntities(page.body).includes(expected), 'the check page does not name the earliest month');
    assert.doesNotMatch(page.body, /Generate submission<\/button>/);
    assert.doesNotMatch(page.body, /Record the check<\/button>/);

    for (const [url, rejected] of [['/month-end/generate', 'generate'], ['/month-end/record-check', 'record-check']] as const) {
      const response = await postForm(web.app, url, { agency: 'DEMO1', period: '1900-01' }, cookie);
      assert.equal(response.statusCode, 400, rejected);
      assert.deepEqual(errorSummaryOf(response.body), [`#generate ${expected}`], rejected);
    }
    assert.equal((await db.selectFrom('submissions').select('id').execute()).length, 0);
  });

  void it('check page rejects an invalid month', async () => {
    const response = await web.app.inject({ url: '/month-end?agency=DEMO1&period=March', headers: { cookie } });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), [`#period Reporting month "March" is not valid. Enter it as year and month, such as ${lastCompleteMonthText()}.`]);
  });

  void it('check page never echoes control characters', async () => {
    const expected =
      '#period The reporting month you entered is not valid because it contains characters that cannot be shown. ' +
      `Enter it as year and month, such as ${lastCompleteMonthText()}.`;
    // Each period as sent in the URL, with the printable part the form shows again.
    const cases: [string, string][] = [
      ['%00', ''],
      ['2024%00-03', '2024-03'],
      ['%1B%5B31m', '[31m'],
      ['%E2%80%AE2024-03', '2024-03'],
    ];
    for (const [period, shown] of cases) {
      const response = await web.app.inject({ url: `/month-end?agency=DEMO1&period=${period}`, headers: { cookie } });
      assert.equal(response.statusCode, 400, period);
      // The markup's line breaks and tabs are the only control characters allowed, and no right-to-left override.
      assert.doesNotMatch(response.body, /(?![\t\n\r])\p{Cc}|\u202E/u, period);
      assert.deepEqual(errorSummaryOf(response.body), [expected], period);
      assert.ok(response.body.includes(`id="period" name="period" type="text" value="${shown}"`), period);
    }
  });

  void it('check page hides a control-character agency', async () => {
    const response = await web.app.inject({ url: '/month-end?agency=DEMO1%00&period=2024-03', headers: { cookie } });
    assert.equal(response.statusCode, 400);
    assert.ok(!response.body.includes('\u0000'));
    assert.deepEqual(errorSummaryOf(response.body), ['#agency The agency you entered is not one of yours. Select an agency from the list.']);
  });

  void it('confirms, generates, downloads and sends', async () => {
    const { db } = web.database;
    // The planted errors are put right in the records, as the journey test does through the forms.
    const a2 = summary.planted.find((problem) => problem.rule === 'A2');
    const d6 = summary.planted.find((problem) => problem.rule === 'D6');
    assert.ok(a2);
    assert.ok(d6);
    await db.updateTable('reviews').set({ methadone_dose: 40 }).where('review_ref', '=', /review (\S+)/.exec(a2.description)?.[1] ?? '').execute();
    const interventionRef = /intervention (\S+)/.exec(d6.description)?.[1] ?? '';
    const open = await db.selectFrom('interventions as i').innerJoin('episodes as e', 'e.id', 'i.episode_id').select(['i.id', 'e.discharge_date']).where('i.intervention_ref', '=', interventionRef).executeTakeFirstOrThrow();
    await db.updateTable('interventions').set({ end_date: open.discharge_date, exit_status: 'A' }).where('id', '=', open.id).execute();

    const unconfirmed = await postForm(web.app, '/month-end/record-check', { agency: 'DEMO1', period: '2024-03' }, cookie);
    assert.equal(unconfirmed.statusCode, 400);
    assert.match(errorSummaryOf(unconfirmed.body)[0] ?? '', /^#generate The check was not recorded: \d+ warnings are not confirmed\./);

    const one = await postForm(web.app, '/month-end/confirm', { agency: 'DEMO1', period: '2024-03', rule: 'D9' }, cookie);
    assert.equal(one.statusCode, 303);
    assert.equal(one.headers.location, '/month-end?agency=DEMO1&period=2024-03&confirmed=1#warnings');
    const page = await web.app.inject({ url: checkUrl, headers: { cookie } });
    const keys = [...page.body.matchAll(/name="warnings" type="checkbox" value="([^"]+)"/g)].map((match) => decodeEntities(match[1] ?? ''));
    assert.ok(keys.length >= 1 && keys.every((key) => key.startsWith('A9|')), `unexpected warnings ${keys.join(', ')}`);
    assert.match(page.body, /Confirmed by Kim Data Officer on /);

    const selected = await postForm(web.app, '/month-end/confirm', { agency: 'DEMO1', period: '2024-03', warnings: keys }, cookie);
    assert.equal(selected.headers.location, `/month-end?agency=DEMO1&period=2024-03&confirmed=${keys.length}#warnings`);
    const ready = await web.app.inject({ url: checkUrl, headers: { cookie } });
    assert.match(ready.body, /Generate submission<\/button>/);
    assert.match(ready.body, /Record the check<\/button>/);

    const recorded = await postForm(web.app, '/month-end/record-check', { agency: 'DEMO1', period: '2024-03' }, cookie);
    assert.equal(recorded.statusCode, 303);
    assert.equal(recorded.headers.location, '/month-end?agency=DEMO1&period=2024-03&recorded=yes#generate');
    const checked = await db.selectFrom('submissions').selectAll().executeTakeFirstOrThrow();
    assert.equal(checked.status, 'checked');
    assert.equal(checked.file, null);
    const afterCheck = await web.app.inject({ url: recorded.headers.location, headers: { cookie } });
    assert.match(decodeEntities(afterCheck.body), /Check recorded\. When you generate the submission, the check runs again first\./);
    assert.match(afterCheck.body, /Check recorded on \d{1,2} \w+ \d{4} at \d{2}:\d{2} by Kim Data Officer\./);
    const checkedHistory = await web.app.inject({ url: '/month-end/submissions?agency=DEMO1', headers: { cookie } });
    assert.match(checkedHistory.body, /nhsuk-tag--aqua-green">Checked</);
    assert.doesNotMatch(checkedHistory.body, /\/file"/);
    const checkedPage = await web.app.inject({ url: `/month-end/submissions/${checked.id}`, headers: { cookie } });
    assert.equal(checkedPage.statusCode, 200);
    assert.doesNotMatch(checkedPage.body, /Download the file/);
    assert.doesNotMatch(checkedPage.body, /Mark as sent<\/button>/);
    assert.match(checkedPage.body, /This check has no file\./);
    assert.equal((await web.app.inject({ url: `/month-end/submissions/${checked.id}/file`, headers: { cookie } })).statusCode, 404);
    assert.equal((await web.app.inject({ url: `/month-end/submissions/${checked.id}/row?line=2`, headers: { cookie } })).statusCode, 404);

    const generated = await postForm(web.app, '/month-end/generate', { agency: 'DEMO1', period: '2024-03' }, cookie);
    assert.equal(generated.statusCode, 303);
    const submissionUrl = /^\/month-end\/submissions\/(\d+)\?notice=generated$/.exec(generated.headers.location as string);
    assert.ok(submissionUrl, `redirected to ${generated.headers.location}`);
    const id = Number(submissionUrl[1]);
    assert.equal(id, checked.id, 'generation did not use the recorded check');
    const stored = await db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(stored.file, 'the generated submission has no file');
    assert.ok(stored.sha256, 'the generated submission has no checksum');

    const file = await web.app.inject({ url: `/month-end/submissions/${id}/file`, headers: { cookie } });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-disposition'], 'attachment; filename="DEMO1_202403_CDSQ.csv"');
    assert.deepEqual(file.rawPayload, Buffer.from(stored.file));
    assert.equal(createHash('sha256').update(file.rawPayload).digest('hex'), stored.sha256);
    const manifest = await web.app.inject({ url: `/month-end/submissions/${id}/manifest`, headers: { cookie } });
    assert.equal((JSON.parse(manifest.body) as { sha256: string }).sha256, stored.sha256);

    const details = await web.app.inject({ url: `/month-end/submissions/${id}`, headers: { cookie } });
    assert.match(details.body, new RegExp(stored.sha256));
    assert.match(details.body, /Mark as sent<\/button>/);
    const sent = await postForm(web.app, `/month-end/submissions/${id}/sent`, {}, cookie);
    assert.equal(sent.headers.location, `/month-end/submissions/${id}?notice=sent`);
    const again = await postForm(web.app, `/month-end/submissions/${id}/sent`, {}, cookie);
    assert.deepEqual(errorSummaryOf(again.body), ['#mark-sent This submission is already marked as sent.']);

    const history = await web.app.inject({ url: '/month-end/submissions?agency=DEMO1', headers: { cookie } });
    assert.match(history.body, new RegExp(`href="/month-end/submissions/${id}">2024-03`));
    assert.match(history.body, /nhsuk-tag--green">Sent</);
  });

  void it('generating again supersedes the sent file', async () => {
    const { db } = web.database;
    const sent = await db.selectFrom('submissions').select(['id', 'status']).executeTakeFirstOrThrow();
    assert.equal(sent.status, 'sent');
    const statuses = async () => (await db.selectFrom('submissions').select(['id', 'status']).orderBy('id').execute()).map((row) => [row.id, row.status]);

    assert.equal((await postForm(web.app, '/month-end/record-check', { agency: 'DEMO1', period: '2024-03' }, cookie)).statusCode, 303);
    assert.equal((await postForm(web.app, '/month-end/record-check', { agency: 'DEMO1', period: '2024-03' }, cookie)).statusCode, 303);
    const [unused, latest] = (await statuses()).slice(1).map(([id]) => id as number);
    assert.deepEqual(await statuses(), [[sent.id, 'sent'], [unused, 'superseded'], [latest, 'checked']]);

    const generated = await postForm(web.app, '/month-end/generate', { agency: 'DEMO1', period: '2024-03' }, cookie);
    assert.equal(generated.statusCode, 303);
    assert.equal(generated.headers.location, `/month-end/submissions/${latest}?notice=generated`);
    assert.deepEqual(await statuses(), [[sent.id, 'superseded'], [unused, 'superseded'], [latest, 'generated']]);
    const history = await web.app.inject({ url: '/month-end/submissions?agency=DEMO1', headers: { cookie } });
    assert.match(history.body, /nhsuk-tag--grey">Superseded</);
    assert.match(history.body, /nhsuk-tag--blue">Generated</);
    assert.match(history.body, /Never generated/);
  });

  void it('row view explains each cell', async () => {
    const submission = await web.database.db.selectFrom('submissions').select(['id', 'file']).where('file', 'is not', null).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.ok(submission.file);
    const secondLine = Buffer.from(submission.file).toString('utf8').split('\r\n')[1] ?? '';
    const clientRef = secondLine.split('","')[1] ?? '';
    const response = await web.app.inject({ url: `/month-end/submissions/${submission.id}/row?line=2&column=CLIENTID`, headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, new RegExp(`CLIENTID \\(Client reference\\): "${clientRef}"`));
    assert.match(decodeEntities(response.body), new RegExp(`From the client reference of client ${clientRef}\\.`));
    assert.doesNotMatch(response.body, /Changed since/);

    const invalid = await web.app.inject({ url: `/month-end/submissions/${submission.id}/row?line=1&column=CLIENTID`, headers: { cookie } });
    assert.equal(invalid.statusCode, 400);
    assert.match(errorSummaryOf(invalid.body)[0] ?? '', /^#line Line "1" is not a data row of this file\. Enter a line from 2 to \d+; line 1 is the header\.$/);
  });

  void it('submission of another organisation is not found', async () => {
    const submission = await web.database.db.selectFrom('submissions').select('id').executeTakeFirstOrThrow();
    const organisation = await web.database.db.insertInto('organisations').values({ name: 'Other' }).returning('id').executeTakeFirstOrThrow();
    await web.database.db
      .insertInto('staff')
      .values({ organisation_id: organisation.id, email: 'other@example.invalid', display_name: 'Other Officer', password_hash: await hashPassword(testPassword), roles: ['data-officer'] })
      .execute();
    const otherCookie = await signIn(web.app, 'other@example.invalid');
    const response = await web.app.inject({ url: `/month-end/submissions/${submission.id}/file`, headers: { cookie: otherCookie } });
    assert.equal(response.statusCode, 404);
  });
});
