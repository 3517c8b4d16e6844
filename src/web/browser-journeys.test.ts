import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations, browserSkipReason, launchChromium, newLoopbackContext, startBrowserServer, tabTo, watchPageProblems } from './testing/browser.js';
import type { BrowserServer } from './testing/browser.js';
import { parseIsoDate } from '../domain/plain-date.js';
import type { PlainDate } from '../domain/plain-date.js';
import { totpCodeAt } from './accounts/second-factor.js';
import { testPassword, testTotpSecret } from './testing/web-test-app.js';

// Pages opened without JavaScript are checked by copying their HTML into this page.
let checker: Page | undefined;

/** Checks the page for WCAG 2.2 AA problems, naming the page in the failure. */
async function assertAccessible(page: Page): Promise<void> {
  assert.deepEqual(await accessibilityViolations(page, checker), [], `axe-core violations on ${page.url()}`);
}

async function signIn(page: Page, server: BrowserServer): Promise<void> {
  await page.goto(`${server.baseUrl}/sign-in`);
  await assertAccessible(page);
  await page.getByLabel('Email address').fill(server.staff.email);
  await page.getByLabel('Password').fill(testPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Administrators have a second factor, so sign-in asks them for a code after the password.
  await page.waitForURL((url) => url.pathname === '/' || url.pathname === '/sign-in/code');
  if (new URL(page.url()).pathname === '/sign-in/code') {
    await page.getByLabel('Code').fill(totpCodeAt(testTotpSecret, new Date()));
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await page.waitForURL(`${server.baseUrl}/`);
  await assertAccessible(page);
}

/** Adds a client with an episode and a pharmacological intervention, and returns the client page URL. */
async function addClientEpisodeAndIntervention(page: Page, clientRef: string): Promise<string> {
  await page.getByRole('link', { name: 'Add a client' }).first().click();
  await assertAccessible(page);
  await page.getByLabel('Client reference').fill(clientRef);
  await page.getByLabel('Team').selectOption({ label: 'North team (TEST1)' });
  await page.getByLabel('First initial').fill('j');
  await page.getByLabel('Surname initial').fill('s');
  await page.fill('#dob-day', '15');
  await page.fill('#dob-month', '7');
  await page.fill('#dob-year', '1990');
  await page.getByLabel('Male', { exact: true }).check();
  await page.getByLabel('Consents', { exact: true }).check();
  await page.getByRole('button', { name: 'Save client' }).click();
  await page.waitForURL(/\/clients\/\d+\?notice=client-added$/);
  await assertAccessible(page);
  const clientUrl = page.url().split('?')[0] ?? '';

  await page.getByRole('button', { name: 'Add an episode' }).click();
  await assertAccessible(page);
  await page.fill('#referral-day', '1');
  await page.fill('#referral-month', '3');
  await page.fill('#referral-year', '2024');
  await page.fill('#triage-day', '5');
  await page.fill('#triage-month', '3');
  await page.fill('#triage-year', '2024');
  await page.getByRole('button', { name: 'Save episode' }).click();
  await page.waitForURL(/notice=episode-saved$/);

  await page.getByRole('link', { name: /Add an intervention/ }).click();
  await assertAccessible(page);
  await page.getByLabel('Pharmacological').check();
  await page.getByLabel('Community').check();
  await page.fill('#referral-day', '5');
  await page.fill('#referral-month', '3');
  await page.fill('#referral-year', '2024');
  await page.fill('#start-day', '6');
  await page.fill('#start-month', '3');
  await page.fill('#start-year', '2024');
  await page.getByRole('button', { name: 'Save intervention' }).click();
  await page.waitForURL(/notice=intervention-saved$/);
  await assertAccessible(page);
  return clientUrl;
}

async function recordMethadoneReview(page: Page, dose: string): Promise<void> {
  await page.getByRole('button', { name: /Record a review/ }).click();
  await page.waitForURL(/\/reviews\/new/);
  await assertAccessible(page);
  await page.locator('#item-PHMETHMNT').check();
  await page.fill('#methadoneDose', dose);
  await page.locator('#ostSupervision').check();
  await page.getByRole('button', { name: 'Save review' }).click();
}

async function fillReviewDate(page: Page, day: string, month: string, year: string): Promise<void> {
  await page.fill('#reviewDate-day', day);
  await page.fill('#reviewDate-month', month);
  await page.fill('#reviewDate-year', year);
}

if (browserSkipReason !== undefined) {
  console.warn(`WARNING: ${browserSkipReason}`);
  // A skipped test shows in the run's skipped count, not only in the log.
  void test('browser journeys and accessibility checks', { skip: browserSkipReason }, () => undefined);
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  void describe(`browser journeys ${mode}`, { skip: browserSkipReason ?? false }, () => {
    let browser: Browser;
    before(async () => {
      browser = await launchChromium();
    });
    after(async () => browser.close());

    void test('review reaches the caseload', async () => {
      const server = await startBrowserServer();
      const context = await newLoopbackContext(browser, { javaScriptEnabled });
      const checkerContext = await newLoopbackContext(browser);
      checker = javaScriptEnabled ? undefined : await checkerContext.newPage();
      try {
        const page = await context.newPage();
        const problems = watchPageProblems(page);
        await signIn(page, server);
        const clientUrl = await addClientEpisodeAndIntervention(page, 'C-E2E1');
        await recordMethadoneReview(page, '60');
        await page.waitForURL(/notice=review-saved$/);
        await assertAccessible(page);
        assert.equal(page.url().split('?')[0], clientUrl);
        const timeline = page.locator('.waymark-timeline');
        await timeline.getByText('Methadone (oral solution) – opioid maintenance').waitFor();
        assert.match(await timeline.innerText(), /Daily dose of oral methadone \(ml\): 60/);
        assert.match(await timeline.innerText(), /OST consumption supervised: Supervised/);

        await page.getByRole('link', { name: 'Caseload', exact: true }).click();
        await assertAccessible(page);
        const row = page.locator('tr', { has: page.getByRole('link', { name: 'C-E2E1' }) });
        assert.match(await row.innerText(), /Pharmacological/);
        assert.doesNotMatch(await row.innerText(), /None yet/);
        assert.doesNotMatch(await row.innerText(), /Review overdue/);
        assert.deepEqual(problems, [], 'no CSP violation and no request to another host');
      } finally {
        await context.close();
        await checkerContext.close();
        await server.close();
      }
    });

    void test('account pages and second factor', async () => {
      const server = await startBrowserServer();
      const context = await newLoopbackContext(browser, { javaScriptEnabled });
      const checkerContext = await newLoopbackContext(browser);
      checker = javaScriptEnabled ? undefined : await checkerContext.newPage();
      try {
        const page = await context.newPage();
        const problems = watchPageProblems(page);
        await signIn(page, server);
        await page.getByRole('link', { name: 'Test Worker' }).click();
        await page.waitForURL(`${server.baseUrl}/account`);
        await assertAccessible(page);
        await page.getByRole('link', { name: /Change\s+password/ }).click();
        await assertAccessible(page);
        await page.goto(`${server.baseUrl}/account/second-factor`);
        await assertAccessible(page);
        const key = (await page.locator('#totp-key').innerText()).replace(/ /g, '');
        await page.getByLabel('Code from your app').fill(totpCodeAt(key, new Date()));
        await page.getByRole('button', { name: 'Confirm' }).click();
        await page.waitForURL(/notice=second-factor-set$/);
        await assertAccessible(page);

        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL(`${server.baseUrl}/sign-in`);
        await page.getByLabel('Email address').fill(server.staff.email);
        await page.getByLabel('Password').fill(testPassword);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${server.baseUrl}/sign-in/code`);
        await assertAccessible(page);
        // The next step's code, because the code used at set-up cannot be used again.
        await page.getByLabel('Code').fill(totpCodeAt(key, new Date(Date.now() + 30_000)));
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL(`${server.baseUrl}/`);
        assert.deepEqual(problems, [], 'no CSP violation and no request to another host');
      } finally {
        await context.close();
        await checkerContext.close();
        await server.close();
      }
    });

    void test('audit pages pass accessibility checks', async () => {
      const server = await startBrowserServer({ roles: ['administrator', 'keyworker'] });
      const context = await newLoopbackContext(browser, { javaScriptEnabled });
      const checkerContext = await newLoopbackContext(browser);
      checker = javaScriptEnabled ? undefined : await checkerContext.newPage();
      try {
        const page = await context.newPage();
        await signIn(page, server);
        const clientUrl = await addClientEpisodeAndIntervention(page, 'C-E2E3');
        const clientId = clientUrl.split('/').at(-1) ?? '';

        await page.getByRole('link', { name: 'Audit trail' }).first().click();
        await page.waitForURL(`${server.baseUrl}/admin/audit`);
        await assertAccessible(page);
        const rows = page.locator('tbody tr');
        // The newest event is the view of the client page that saving the intervention returned to.
        assert.match(await rows.first().innerText(), /client\.view/);

        await page.getByLabel('Client id').fill('abc');
        await page.getByRole('button', { name: 'Search' }).click();
        await page.waitForURL(/client=abc/);
        await assertAccessible(page);

        await page.goto(`${server.baseUrl}/admin/audit/clients/${clientId}`);
        await assertAccessible(page);
        assert.match(await page.locator('h1').innerText(), /Access history of client C-E2E3/);
      } finally {
        await context.close();
        await checkerContext.close();
        await server.close();
      }
    });

    void test('switching medication saves', async () => {
      const server = await startBrowserServer();
      const context = await newLoopbackContext(browser, { javaScriptEnabled });
      const checkerContext = await newLoopbackContext(browser);
      checker = javaScriptEnabled ? undefined : await checkerContext.newPage();
      try {
        const page = await context.newPage();
        const problems = watchPageProblems(page);
        await signIn(page, server);
        await addClientEpisodeAndIntervention(page, 'C-E2E4');
        await page.getByRole('button', { name: /Record a review/ }).click();
        await fillReviewDate(page, '9', '4', '2024');
        await page.locator('#item-PHBUPMNT').check();
        await page.fill('#buprenorphineDose', '16');
        await page.locator('#ostSupervision').check();
        await page.getByRole('button', { name: 'Save review' }).click();
        await page.waitForURL(/notice=review-saved$/);

        // The new form carries the buprenorphine review forward; the worker switches to methadone.
        await page.getByRole('button', { name: /Record a review/ }).click();
        await page.waitForURL(/\/reviews\/new/);
        assert.equal(await page.inputValue('#buprenorphineDose'), '16');
        await fillReviewDate(page, '9', '5', '2024');
        await page.locator('#item-PHBUPMNT').uncheck();
        await page.locator('#item-PHMETHMNT').check();
        await page.fill('#methadoneDose', '60');
        if (javaScriptEnabled) assert.equal(await page.locator('#buprenorphineDose').isVisible(), false);
        const switchDate = parseIsoDate('2024-05-09') as PlainDate;

        // Search posts the form, so the typed values and the CSRF token stay out of the URL.
        await page.fill('#term', 'librium');
        await page.getByRole('button', { name: 'Search', exact: true }).click();
        await page.locator('#lookup-results a[href="#item-PHCHLDWTH"]').waitFor();
        assert.equal(new URL(page.url()).search, '');
        assert.equal(await page.inputValue('#methadoneDose'), '60');
        assert.equal(await page.inputValue('#reviewDate-month'), '5');
        assert.equal(await page.locator('#item-PHMETHMNT').isChecked(), true);
        assert.equal(await page.locator('#item-PHBUPMNT').isChecked(), false);
        await page.getByRole('button', { name: 'Save review' }).click();

        if (!javaScriptEnabled) {
          // Every question is shown, so the old dose is sent and the rules name its visible field.
          const summary = page.locator('.nhsuk-error-summary');
          await summary.waitFor();
          assert.match(await summary.innerText(), /Daily dose of oral buprenorphine \(mg\) is 16 but no oral buprenorphine \(#\) sub-intervention \("Buprenorphine \(tablet\/wafer\) – opioid assessment and stabilisation",/);
          assert.equal(await summary.getByRole('link').first().getAttribute('href'), '#buprenorphineDose');
          assert.equal(await page.locator('#buprenorphineDose').isVisible(), true);
          assert.equal(await page.inputValue('#buprenorphineDose'), '16');
          assert.equal(await page.inputValue('#methadoneDose'), '60');
          assert.equal(await page.locator('#item-PHMETHMNT').isChecked(), true);
          assert.equal(await page.locator('#item-PHBUPMNT').isChecked(), false);
          assert.equal(await page.inputValue('#reviewDate-month'), '5');
          await assertAccessible(page);
          await page.fill('#buprenorphineDose', '');
          await page.getByRole('button', { name: 'Save review' }).click();
        }
        await page.waitForURL(/notice=review-saved$/);
        const saved = await server.database.db.selectFrom('reviews').select(['id', 'methadone_dose', 'buprenorphine_dose']).where('review_date', '=', switchDate).executeTakeFirstOrThrow();
        assert.equal(Number(saved.methadone_dose), 60);
        assert.equal(saved.buprenorphine_dose, null);

        // The same switch back on the saved review's change form.
        if (javaScriptEnabled) {
          await page.goto(`${server.baseUrl}/reviews/${saved.id}/edit`);
          await page.locator('#item-PHMETHMNT').uncheck();
          await page.locator('#item-PHBUPMNT').check();
          assert.equal(await page.locator('#methadoneDose').isVisible(), false);
          await page.fill('#buprenorphineDose', '12');
          await page.getByRole('button', { name: 'Save review' }).click();
          await page.waitForURL(/notice=review-saved/);
          const changed = await server.database.db.selectFrom('reviews').select(['methadone_dose', 'buprenorphine_dose']).where('review_date', '=', switchDate).executeTakeFirstOrThrow();
          assert.equal(changed.methadone_dose, null);
          assert.equal(Number(changed.buprenorphine_dose), 12);
        }
        assert.deepEqual(problems, [], 'no CSP violation and no request to another host');
      } finally {
        await context.close();
        await checkerContext.close();
        await server.close();
      }
    });

    void test('missing dose shows the error summary', async () => {
      const server = await startBrowserServer();
      const context = await newLoopbackContext(browser, { javaScriptEnabled });
      const checkerContext = await newLoopbackContext(browser);
      checker = javaScriptEnabled ? undefined : await checkerContext.newPage();
      try {
        const page = await context.newPage();
        const problems = watchPageProblems(page);
        await signIn(page, server);
        await addClientEpisodeAndIntervention(page, 'C-E2E2');
        await page.getByRole('button', { name: /Record a review/ }).click();
        await page.fill('#reviewDate-day', '9');
        await page.fill('#reviewDate-month', '4');
        await page.fill('#reviewDate-year', '2024');
        await page.locator('#item-PHMETHMNT').check();
        await page.locator('#ostSupervision').check();
        await page.getByRole('button', { name: 'Save review' }).click();
        await page.waitForLoadState();

        const summary = page.locator('.nhsuk-error-summary');
        await summary.waitFor();
        assert.match(
          await summary.innerText(),
          /"Methadone \(oral solution\) – opioid maintenance" is ticked on review R-[A-Z2-9]{8} but daily dose of oral methadone \(ml\) is empty\. Record the client's current daily dose of oral methadone \(\*\) in ml, or untick the item if it is not prescribed\./,
        );
        await summary.getByRole('link').first().click();
        // The NHS.UK script moves focus after the click, so wait for it rather than read it at once.
        await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id === 'methadoneDose', undefined, { timeout: 5000 });
        assert.equal(await page.inputValue('#reviewDate-day'), '9');
        assert.equal(await page.inputValue('#reviewDate-month'), '4');
        assert.equal(await page.locator('#item-PHMETHMNT').isChecked(), true);
        assert.equal(await page.locator('#ostSupervision').isChecked(), true);
        assert.match(await page.title(), /^Error: /);
        await assertAccessible(page);
        assert.deepEqual(problems, [], 'no CSP violation and no request to another host');
      } finally {
        await context.close();
        await checkerContext.close();
        await server.close();
      }
    });
  });
}

void describe('keyboard-only journey', { skip: browserSkipReason ?? false }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => browser.close());

  void test('sign in and record a review by keyboard', async () => {
    const server = await startBrowserServer();
    const context = await newLoopbackContext(browser);
    checker = undefined;
    try {
      const page = await context.newPage();
      const problems = watchPageProblems(page);
      await signIn(page, server);
      const clientUrl = await addClientEpisodeAndIntervention(page, 'C-KEY1');
      await page.goto(clientUrl);

      await tabTo(page, 'a[href$="/reviews/new"]');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/reviews\/new/);
      await tabTo(page, '#term');
      await page.keyboard.type('methadone maintenance');
      await tabTo(page, '#item-PHMETHMNT');
      await page.keyboard.press('Space');
      await tabTo(page, '#methadoneDose');
      await page.keyboard.type('60');
      await tabTo(page, '#ostSupervision');
      await page.keyboard.press('Space');
      await tabTo(page, 'button[data-prevent-double-click]');
      await page.keyboard.press('Enter');
      await page.waitForURL(/notice=review-saved$/);
      assert.match(await page.locator('.waymark-timeline').innerText(), /Daily dose of oral methadone \(ml\): 60/);
      assert.deepEqual(problems, [], 'no CSP violation and no request to another host');
    } finally {
      await context.close();
      await server.close();
    }
  });
});
