import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { projectRoot } from '../src/web/render.js';
import { launchChromium, newLoopbackContext, startBrowserServer } from '../src/web/testing/browser.js';
import { seedClientWithIntervention, testPassword } from '../src/web/testing/web-test-app.js';

/**
 * Takes screenshots of the main pages at 1280 and 390 px wide into `docs/screenshots/`.
 * Run after a build: `node dist/scripts/screenshots.js`. It starts its own server on a
 * random loopback port with a throwaway database of synthetic records.
 */
const widths = [1280, 390];
const outputDirectory = join(projectRoot, 'docs/screenshots');

async function main(): Promise<void> {
  await mkdir(outputDirectory, { recursive: true });
  const server = await startBrowserServer();
  const seeded = await seedClientWithIntervention(server.database, server.staff, 'C-SHOT1');
  const browser = await launchChromium();
  try {
    for (const width of widths) {
      const context = await newLoopbackContext(browser, { viewport: { width, height: 900 } });
      const page = await context.newPage();
      await signIn(page, server.baseUrl, server.staff.email);
      await page.goto(`${server.baseUrl}/episodes/${seeded.episodeId}/reviews/new`);
      await page.locator('#item-PHMETHMNT').check();
      await page.fill('#methadoneDose', '60');
      await page.locator('#ostSupervision').check();
      await capture(page, `review-form-${width}`);
      await page.getByRole('button', { name: 'Save review' }).click();
      await page.waitForURL(/notice=review-saved/);
      await capture(page, `client-record-${width}`);

      await page.goto(`${server.baseUrl}/episodes/${seeded.episodeId}/reviews/new`);
      await page.fill('#methadoneDose', '');
      await page.getByRole('button', { name: 'Save review' }).click();
      await page.locator('.nhsuk-error-summary').waitFor();
      await capture(page, `review-error-${width}`);

      await page.goto(`${server.baseUrl}/`);
      await capture(page, `caseload-${width}`);
      await page.goto(`${server.baseUrl}/clients/new`);
      await capture(page, `add-client-${width}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await capture(page, `sign-in-${page.viewportSize()?.width ?? 0}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(testPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/`);
}

async function capture(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(outputDirectory, `${name}.png`), fullPage: true });
  console.log(`wrote docs/screenshots/${name}.png`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
