import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { reportCatalogue } from '../../reports/catalogue.js';
import { accessibilityViolations, browserSkipReason, launchChromium, newLoopbackContext, startBrowserServer } from '../testing/browser.js';
import type { BrowserServer } from '../testing/browser.js';
import { seedReportFixture } from '../testing/report-seed.js';
import { testPassword } from '../testing/web-test-app.js';

if (browserSkipReason !== undefined) {
  console.warn(`WARNING: ${browserSkipReason}`);
  void test('report pages accessibility checks', { skip: browserSkipReason }, () => undefined);
}

void describe('report and data-quality pages in Chromium', { skip: browserSkipReason ?? false }, () => {
  let browser: Browser;
  let server: BrowserServer;

  before(async () => {
    browser = await launchChromium();
    server = await startBrowserServer({ roles: ['data-officer'] });
    await seedReportFixture(server.database, server.staff);
  });
  after(async () => {
    await server.close();
    await browser.close();
  });

  void test('pages have no WCAG 2.2 AA violations', async () => {
    const context = await newLoopbackContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByLabel('Email address').fill(server.staff.email);
      await page.getByLabel('Password').fill(testPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${server.baseUrl}/`);

      await page.getByRole('link', { name: 'Reports', exact: true }).click();
      await page.waitForURL(`${server.baseUrl}/reports`);
      assert.deepEqual(await accessibilityViolations(page), [], 'axe-core violations on /reports');

      for (const entry of reportCatalogue) {
        await page.goto(`${server.baseUrl}/reports/${entry.name}?agency=${server.staff.agencyId}&period=2024-03`);
        assert.equal(await page.locator('svg[role="img"] title').first().textContent() !== null, true, `${entry.name} has no chart title`);
        assert.deepEqual(await accessibilityViolations(page), [], `axe-core violations on /reports/${entry.name}`);
      }

      // The month form works by GET, so choosing a month leads to a page with its own address.
      await page.goto(`${server.baseUrl}/reports/ost-doses?agency=${server.staff.agencyId}&period=2024-03`);
      await page.getByLabel('Reporting month').fill('2024-13');
      await page.getByRole('button', { name: 'Show figures' }).click();
      await page.waitForURL(/period=2024-13/);
      assert.match(await page.locator('.nhsuk-error-summary').innerText(), /Enter the month as YYYY-MM/);
      assert.deepEqual(await accessibilityViolations(page), [], 'axe-core violations on the report page with an error');

      await page.getByRole('link', { name: 'Data quality', exact: true }).first().click();
      await page.waitForURL(/\/data-quality$/);
      assert.deepEqual(await accessibilityViolations(page), [], 'axe-core violations on /data-quality');

      await page.getByRole('link', { name: /records with MODEND empty/ }).click();
      await page.waitForURL(/\/data-quality\/records\?/);
      // Open interventions of the fixture: two each for C1, C2, C6 and C8, and one for C4.
      assert.equal(await page.locator('#records tbody tr').count(), 9);
      assert.deepEqual(await accessibilityViolations(page), [], 'axe-core violations on the record list');
    } finally {
      await context.close();
    }
  });
});
