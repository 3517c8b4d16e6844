import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadDemo } from '../db/demo/load-demo.js';
import type { PlantedProblem } from '../db/demo/plant-problems.js';
import type { Database } from '../db/schema.js';
import { formatDayMonthYear } from '../domain/plain-date.js';
import { hashPassword } from './accounts/passwords.js';
import { accessibilityViolations, browserSkipReason, launchChromium, newLoopbackContext, startBrowserServer } from './testing/browser.js';
import { testPassword } from './testing/web-test-app.js';

const dataOfficer = 'kim.dataofficer@demo.invalid';

async function assertAccessible(page: Page): Promise<void> {
  assert.deepEqual(await accessibilityViolations(page), [], `axe-core violations on ${page.url()}`);
}

/** Finds the intervention the demo left open after its episode's discharge (rule D6), with the discharge date's parts. */
async function plantedOpenIntervention(db: Kysely<Database>, planted: PlantedProblem[]): Promise<{ id: number; day: number; month: number; year: number }> {
  const d6 = planted.find((problem) => problem.rule === 'D6');
  const intervention = await db
    .selectFrom('interventions as i')
    .innerJoin('episodes as e', 'e.id', 'i.episode_id')
    .select(['i.id', 'e.discharge_date'])
    .where('i.intervention_ref', '=', /intervention (\S+)/.exec(d6?.description ?? '')?.[1] ?? '')
    .executeTakeFirstOrThrow();
  assert.ok(intervention.discharge_date);
  const [day = 0, month = 0, year = 0] = formatDayMonthYear(intervention.discharge_date).split('/').map(Number);
  return { id: intervention.id, day, month, year };
}

/** Signs in as the demo data officer and opens the month-end page. */
async function openMonthEnd(context: BrowserContext, baseUrl: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(dataOfficer);
  await page.getByLabel('Password').fill(testPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.getByRole('link', { name: 'Month end', exact: true }).click();
  await page.waitForURL(/\/month-end$/);
  return page;
}

if (browserSkipReason !== undefined) {
  console.warn(`WARNING: ${browserSkipReason}`);
  void test('month-end browser journey', { skip: browserSkipReason }, () => undefined);
}

void describe('month-end browser journey', { skip: browserSkipReason ?? false }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => browser.close());

  void test('data officer checks, fixes, confirms and submits', async () => {
    const server = await startBrowserServer();
    const context = await newLoopbackContext(browser);
    try {
      const { db } = server.database;
      // The demo histories end with the last complete month, which the check page opens by default.
      const demo = await loadDemo(db, { clients: 150 });
      const rules = demo.planted.map((problem) => problem.rule).sort();
      assert.deepEqual(rules, ['A2', 'A9', 'D6', 'D9']);
      // The demo data officer keeps only that role, so each fix goes through a correction grant.
      await db.updateTable('staff').set({ password_hash: await hashPassword(testPassword) }).where('email', '=', dataOfficer).execute();
      const { day, month, year } = await plantedOpenIntervention(db, demo.planted);

      const page = await openMonthEnd(context, server.baseUrl);
      await assertAccessible(page);
      assert.equal(await page.inputValue('#period'), demo.period);
      assert.match(await page.getByRole('table', { name: /^Errors, with the record/ }).innerText(), /D6/);

      // Follows the A2 finding, gives a reason for the correction grant, and enters the missing
      // methadone dose on the review.
      await page.getByRole('link', { name: /^Correct the review .*for A2/ }).click();
      await page.waitForURL(/\/clients\/\d+\/correction\?next=/);
      await page.getByLabel('What do you need to correct, and why?').fill('Month-end error A2: oral methadone ticked with no daily dose');
      await page.getByRole('button', { name: 'Correct the record for 30 minutes' }).click();
      await page.waitForURL(/\/reviews\/\d+\/edit#methadoneDose$/);
      await assertAccessible(page);
      await page.fill('#methadoneDose', '40');
      await page.getByRole('button', { name: 'Save review' }).click();
      await page.waitForURL(/notice=review-saved#episode-\d+$/);
      await page.getByRole('link', { name: 'Month end', exact: true }).click();
      await page.waitForURL(/\/month-end$/);
      assert.doesNotMatch(await page.getByRole('table', { name: /^Errors, with the record/ }).innerText(), /A2/);

      // Follows the D6 finding, on another client, so through a second grant, to the intervention's
      // end date, and ends it on the discharge date.
      await page.getByRole('link', { name: /^Correct the intervention/ }).click();
      await page.waitForURL(/\/clients\/\d+\/correction\?next=/);
      await page.getByLabel('What do you need to correct, and why?').fill('Month-end error D6: intervention still open after discharge');
      await page.getByRole('button', { name: 'Correct the record for 30 minutes' }).click();
      await page.waitForURL(/\/interventions\/\d+\/edit#end-day$/);
      await assertAccessible(page);
      await page.fill('#end-day', String(day));
      await page.fill('#end-month', String(month));
      await page.fill('#end-year', String(year));
      await page.getByLabel('Mutually agreed planned exit').check();
      await page.getByRole('button', { name: 'Save intervention' }).click();
      await page.waitForURL(/notice=intervention-saved$/);

      await page.getByRole('link', { name: 'Month end', exact: true }).click();
      await page.waitForURL(/\/month-end$/);
      assert.equal(await page.locator('#errors').count(), 0);
      await page.getByRole('button', { name: /^Confirm all \d+ for rule A9$/ }).click();
      await page.waitForURL(/confirmed=\d+#warnings$/);
      await assertAccessible(page);
      await page.locator('input[name="warnings"]').first().check();
      assert.equal(await page.locator('input[name="warnings"]').count(), 1);
      await page.getByRole('button', { name: 'Confirm selected warnings' }).click();
      await page.waitForURL(/confirmed=1#warnings$/);
      await assertAccessible(page);

      await page.getByRole('button', { name: 'Record the check' }).click();
      await page.waitForURL(/recorded=yes#generate$/);
      await assertAccessible(page);
      assert.match(await page.innerText('body'), /Check recorded on .+ by Kim Data Officer\./);
      await page.getByRole('link', { name: 'Submission history' }).click();
      await page.waitForURL(/\/month-end\/submissions\?agency=DEMO1$/);
      await assertAccessible(page);
      assert.match(await page.locator('tbody tr').first().innerText(), /Checked/);
      await page.locator('tbody tr').first().getByRole('link').click();
      await page.waitForURL(/\/month-end\/submissions\/\d+$/);
      await assertAccessible(page);
      assert.equal(await page.getByRole('link', { name: /^Download the file/ }).count(), 0);
      await page.getByRole('link', { name: 'month-end check' }).click();
      await page.waitForURL(/\/month-end\?agency=DEMO1&period=\d{4}-\d{2}$/);

      await page.getByRole('button', { name: 'Generate submission' }).click();
      await page.waitForURL(/\/month-end\/submissions\/\d+\?notice=generated$/);
      await assertAccessible(page);
      const stored = await db.selectFrom('submissions').select(['file', 'sha256', 'file_name']).executeTakeFirstOrThrow();
      assert.ok(stored.file, 'the generated submission has no file');
      assert.ok(stored.sha256, 'the generated submission has no checksum');
      assert.match(await page.locator('dl').innerText(), new RegExp(stored.sha256));

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Download the file/ }).click()]);
      assert.equal(download.suggestedFilename(), stored.file_name);
      const bytes = await readFile(await download.path());
      assert.deepEqual(bytes, Buffer.from(stored.file));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), stored.sha256);

      await page.getByRole('button', { name: 'Mark as sent' }).click();
      await page.waitForURL(/notice=sent$/);
      await assertAccessible(page);

      await page.getByLabel('Line in the file').fill('2');
      await page.getByLabel('Column').selectOption('CLIENTID');
      await page.getByRole('button', { name: 'Show the row' }).click();
      await page.waitForURL(/\/row\?line=2&column=CLIENTID$/);
      await assertAccessible(page);
      assert.match(await page.locator('.nhsuk-inset-text').innerText(), /From the client reference of client /);

      await page.getByRole('link', { name: 'Back to the submission' }).click();
      await page.getByRole('link', { name: 'Back to submission history' }).click();
      await page.waitForURL(/\/month-end\/submissions\?agency=DEMO1$/);
      await assertAccessible(page);
      const row = page.locator('tbody tr').first();
      assert.match(await row.innerText(), new RegExp(`${demo.period}[\\s\\S]*Sent`));
    } finally {
      await context.close();
      await server.close();
    }
  });

  void test('data officer corrects an error under a grant', async () => {
    const server = await startBrowserServer();
    const context = await newLoopbackContext(browser);
    try {
      const { db } = server.database;
      const demo = await loadDemo(db, { clients: 150 });
      // The data officer has no other role, so the finding links lead through the correction grant form.
      const officer = await db.updateTable('staff').set({ password_hash: await hashPassword(testPassword), roles: ['data-officer'] }).where('email', '=', dataOfficer).returning('id').executeTakeFirstOrThrow();
      const intervention = await plantedOpenIntervention(db, demo.planted);
      const { day, month, year } = intervention;

      const page = await openMonthEnd(context, server.baseUrl);
      await page.getByRole('link', { name: /^Correct the intervention/ }).click();
      await page.waitForURL(/\/clients\/\d+\/correction\?next=/);
      await assertAccessible(page);

      await page.getByLabel('What do you need to correct, and why?').fill('D6 fix');
      await page.getByRole('button', { name: 'Correct the record for 30 minutes' }).click();
      assert.match(await page.locator('.nhsuk-error-summary').innerText(), /The reason must be at least 20 characters/);
      assert.equal(await page.inputValue('#reason'), 'D6 fix');
      await assertAccessible(page);

      await page.getByLabel('What do you need to correct, and why?').fill('Month-end error D6: intervention still open after discharge');
      await page.getByRole('button', { name: 'Correct the record for 30 minutes' }).click();
      await page.waitForURL(new RegExp(`/interventions/${intervention.id}/edit#end-day$`));
      await page.fill('#end-day', String(day));
      await page.fill('#end-month', String(month));
      await page.fill('#end-year', String(year));
      await page.getByLabel('Mutually agreed planned exit').check();
      await page.getByRole('button', { name: 'Save intervention' }).click();
      await page.waitForURL(/notice=intervention-saved$/);
      assert.match(await page.locator('body').innerText(), /Your correction grant is open until/);
      await assertAccessible(page);

      const grant = await db.selectFrom('break_glass_grants').select(['id', 'kind']).where('staff_id', '=', officer.id).executeTakeFirstOrThrow();
      assert.equal(grant.kind, 'correction');
      const event = await db.selectFrom('audit_events').select(['action', 'reason']).where('actor', '=', `staff:${officer.id}`).where('entity', '=', 'intervention').where('action', 'like', 'intervention.%').where('action', '!=', 'intervention.view').executeTakeFirstOrThrow();
      assert.deepEqual(event, { action: 'intervention.end', reason: `Made under correction grant ${grant.id}` });

      await page.getByRole('link', { name: 'Month end', exact: true }).click();
      await page.waitForURL(/\/month-end$/);
      assert.doesNotMatch(await page.getByRole('table', { name: /^Errors, with the record/ }).innerText(), /D6/);
    } finally {
      await context.close();
      await server.close();
    }
  });
});
