import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openDatabase } from '../../db/database.js';
import type { OpenDatabase } from '../../db/database.js';
import { projectRoot } from '../render.js';
import { buildServer } from '../server.js';
import { seedStaff } from './web-test-app.js';
import type { SeededStaff } from './web-test-app.js';

/** Chromium flags for a quiet headless run that reaches no host but the test server. */
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const chromiumPath = process.env['WAYMARK_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Reason the browser journeys cannot run here, or undefined when they can. Outside CI a
 * machine without Chromium skips them loudly; CI installs Chromium, so there a missing
 * browser fails the run instead of passing quietly.
 */
export const browserSkipReason: string | undefined =
  existsSync(chromiumPath) || process.env['CI'] !== undefined
    ? undefined
    : `Chromium browser journeys SKIPPED: ${chromiumPath} not found. Install Debian's chromium package (apt-get install chromium) or set WAYMARK_CHROMIUM.`;

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/**
 * Opens a browser context whose requests can reach only loopback. Any other request is
 * aborted, so no test depends on another host; `watchPageProblems` reports such requests.
 */
export async function newLoopbackContext(browser: Browser, options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.route('**/*', async (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') await route.continue();
    else await route.abort('blockedbyclient');
  });
  return context;
}

/**
 * Collects, for the life of the page, every Content-Security-Policy violation Chromium
 * reports in the console and every request to a host other than loopback. A test asserts
 * the list is empty once its journey is done.
 */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('request', (request) => {
    const host = new URL(request.url()).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') problems.push(`${page.url()}: request to ${request.url()}`);
  });
  return problems;
}

/** A web app listening on a random loopback port, with its own PGlite data in a temporary folder. */
export interface BrowserServer {
  baseUrl: string;
  database: OpenDatabase;
  staff: SeededStaff;
  close(): Promise<void>;
}

export async function startBrowserServer(options: { roles?: string[] } = {}): Promise<BrowserServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'waymark-e2e-'));
  const database = await openDatabase({ dataDir });
  const staff = await seedStaff(database, { roles: options.roles ?? ['keyworker', 'prescriber'], email: 'kim@example.invalid' });
  const app: FastifyInstance = await buildServer({ db: database.db, logger: pino({ level: 'silent' }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    database,
    staff,
    async close() {
      await app.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let axeSource: string | undefined;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core on the page for WCAG 2.2 A and AA, returning each violation as
 * `rule: help (targets)`. A page opened without JavaScript cannot run axe, so its HTML is
 * copied into `checker`, a page of a JavaScript-enabled context on the same server.
 */
export async function accessibilityViolations(page: Page, checker?: Page): Promise<string[]> {
  if (checker) {
    // The copy is served from the same origin, so its stylesheets and module script load as on the real page.
    const html = await page.content();
    const copyUrl = new URL('/axe-copy-of-page', page.url()).href;
    await checker.route(copyUrl, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await checker.goto(copyUrl);
    await checker.unroute(copyUrl);
    return accessibilityViolations(checker);
  }
  // Layout moves while the scripts enhance the page and while fonts settle. Target sizes
  // measured before both settle are wrong.
  await page.waitForFunction(() => {
    const { document } = globalThis as unknown as { document: { documentElement: { dataset: Record<string, string | undefined> } } };
    return document.documentElement.dataset['waymarkReady'] === 'true';
  }, undefined, { timeout: 10_000 });
  await page.evaluate(async () => {
    await (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready;
  });
  // Evaluated through the DevTools protocol rather than added as a <script> tag, which the
  // page's Content-Security-Policy would block as an inline script.
  axeSource ??= await readFile(join(projectRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> }; document: unknown };
    const result = await page.axe.run(page.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations;
  });
  return violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

/** Presses Tab until the element matching `selector` has focus, so a test proves it is reachable by keyboard. */
export async function tabTo(page: Page, selector: string, maxPresses = 200): Promise<void> {
  for (let press = 0; press < maxPresses; press += 1) {
    const focused = await page.evaluate((target) => {
      const { document } = globalThis as unknown as { document: { activeElement: { matches(selector: string): boolean } | null } };
      return document.activeElement?.matches(target) ?? false;
    }, selector);
    if (focused) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} was not reached after ${maxPresses} presses of Tab`);
}
