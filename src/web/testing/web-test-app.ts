import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { openDatabase } from '../../db/database.js';
import type { OpenDatabase } from '../../db/database.js';
import { hashPassword } from '../accounts/passwords.js';
import { totpCodeAt } from '../accounts/second-factor.js';
import type { ClientRecordCache } from '../data/client-record-cache.js';
import { buildServer } from '../server.js';
import type { WebSettings } from '../settings.js';

/** A web app on a throwaway in-memory PGlite database, for `inject` tests. */
export interface WebTestApp {
  app: FastifyInstance;
  database: OpenDatabase;
  clock: TestClock;
  close(): Promise<void>;
}

export const testSetupToken = 'test-setup-token';
export const testPassword = 'correct horse battery staple';
/** TOTP secret (base32) that `seedStaff` gives administrators, so tests can compute their codes. */
export const testTotpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** Real time plus an offset that tests move forward, instead of waiting for sessions or locks to run out. */
export class TestClock {
  private offsetMs = 0;

  readonly now = (): Date => new Date(Date.now() + this.offsetMs);

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

const clocks = new WeakMap<FastifyInstance, TestClock>();

/** Builds the app; `logger` replaces the silent default for tests that read the log, and `records` the client record cache. */
export async function createWebTestApp(options: { settings?: Partial<WebSettings>; logger?: Logger; records?: ClientRecordCache } = {}): Promise<WebTestApp> {
  const database = await openDatabase({ dataDir: 'memory://' });
  const clock = new TestClock();
  const app = await buildServer({
    db: database.db,
    listen: database.listen,
    logger: options.logger ?? pino({ level: 'silent' }),
    setupToken: testSetupToken,
    now: clock.now,
    settings: options.settings,
    ...(options.records ? { records: options.records } : {}),
  });
  clocks.set(app, clock);
  return {
    app,
    database,
    clock,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export interface SeededStaff {
  organisationId: number;
  agencyId: number;
  teamId: number;
  staffId: number;
  email: string;
}

/**
 * Adds an organisation, agency TEST1, one team and one member of staff with the given roles.
 * Administrators get `testTotpSecret` as their second factor unless `totpSecret` says otherwise.
 */
export async function seedStaff(database: OpenDatabase, options: { roles: string[]; email?: string; competences?: string[]; registrations?: string[]; agencyCode?: string; totpSecret?: string | null }): Promise<SeededStaff> {
  const { db } = database;
  const email = options.email ?? 'keyworker@example.invalid';
  let totpSecret = options.totpSecret;
  if (totpSecret === undefined) totpSecret = options.roles.includes('administrator') ? testTotpSecret : null;
  const organisation = await db.insertInto('organisations').values({ name: 'Test organisation' }).returning('id').executeTakeFirstOrThrow();
  const agency = await db.insertInto('agencies').values({ organisation_id: organisation.id, code: options.agencyCode ?? 'TEST1', name: 'Test agency' }).returning('id').executeTakeFirstOrThrow();
  const team = await db.insertInto('teams').values({ agency_id: agency.id, name: 'North team' }).returning('id').executeTakeFirstOrThrow();
  const staff = await db
    .insertInto('staff')
    .values({
      organisation_id: organisation.id,
      email,
      display_name: 'Test Worker',
      password_hash: await hashPassword(testPassword),
      roles: options.roles,
      competences: options.competences ?? [],
      registrations: options.registrations ?? [],
      totp_secret: totpSecret,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('staff_teams').values({ staff_id: staff.id, team_id: team.id }).execute();
  return { organisationId: organisation.id, agencyId: agency.id, teamId: team.id, staffId: staff.id, email };
}

/** Encodes fields as a form body; arrays become repeated fields, as checkboxes send them. */
export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  return params.toString();
}

/**
 * Posts a form as a browser would: first loads a page to get a CSRF token and its secret
 * cookie, then sends both with the fields. The page is the form's own URL, or sign-in or a
 * missing page when that URL renders no form (every page rendered in the layout has a token).
 */
export async function postForm(app: FastifyInstance, url: string, fields: Record<string, string | string[]>, cookie?: string): Promise<LightMyRequestResponse> {
  const csrf = await fetchCsrf(app, [url, '/sign-in', '/no-such-page'], cookie);
  return postFormWithoutCsrf(app, url, { ...fields, _csrf: csrf.token }, [cookie, csrf.cookie].filter(Boolean).join('; '));
}

/** Posts fields exactly as given, with no CSRF token added: for tests of forged or missing tokens. */
export async function postFormWithoutCsrf(app: FastifyInstance, url: string, fields: Record<string, string | string[]>, cookie?: string): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    payload: formBody(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
  });
}

/** Loads the first of the pages that renders a CSRF token, and returns the token and the secret's cookie. */
export async function fetchCsrf(app: FastifyInstance, pages: string[], cookie?: string): Promise<{ token: string; cookie: string }> {
  for (const page of pages) {
    const response = await app.inject({ url: page, headers: cookie ? { cookie } : {} });
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    const setCookies = [response.headers['set-cookie'] ?? []].flat();
    const secret = setCookies.find((value) => value.startsWith('_csrf='))?.split(';')[0];
    if (token && secret) return { token, cookie: secret };
  }
  throw new Error(`None of ${pages.join(', ')} rendered a CSRF token`);
}

/**
 * Signs in and returns the `Cookie` header value for later requests. When sign-in asks
 * for a second factor, enters the code for `totpSecret` and moves the test clock on one
 * 30-second step, because each code is accepted only once.
 */
export async function signIn(app: FastifyInstance, email: string, password = testPassword, totpSecret = testTotpSecret): Promise<string> {
  let response = await postForm(app, '/sign-in', { email, password });
  if (response.statusCode === 303 && response.headers.location === '/sign-in/code') {
    const challenge = cookieOf(response, 'waymark_sign_in');
    const clock = clocks.get(app);
    response = await postForm(app, '/sign-in/code', { code: totpCodeAt(totpSecret, clock?.now() ?? new Date()) }, challenge);
    clock?.advance(30_000);
  }
  const session = cookieOf(response, 'waymark_session');
  if (response.statusCode !== 303 || session === '') throw new Error(`Sign-in as ${email} failed with status ${response.statusCode}`);
  return session;
}

/** Returns the `name=value` pair of a cookie the response sets, or an empty string. */
export function cookieOf(response: LightMyRequestResponse, name: string): string {
  const setCookies = [response.headers['set-cookie'] ?? []].flat();
  return setCookies.find((value) => value.startsWith(`${name}=`))?.split(';')[0] ?? '';
}

/** Texts of the error summary links, in page order. */
export function errorSummaryOf(html: string): string[] {
  const list = /<ul class="nhsuk-list nhsuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<a href="([^"]*)"[^>]*>\s*([\s\S]*?)\s*<\/a>/g)].map((match) => `${match[1]} ${decodeEntities(match[2] ?? '')}`);
}

/** Undoes the HTML escaping Nunjucks applies, so tests compare messages as written. */
export function decodeEntities(html: string): string {
  return html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export interface SeededEpisode {
  clientId: number;
  episodeId: number;
  episodeVersion: number;
}

/** Adds a client in the staff member's team with an open episode and a pharmacological intervention. */
export async function seedClientWithIntervention(database: OpenDatabase, staff: SeededStaff, clientRef = 'C-100'): Promise<SeededEpisode> {
  const { db } = database;
  const client = await db
    .insertInto('clients')
    .values({ agency_id: staff.agencyId, client_ref: clientRef, first_initial: 'J', surname_initial: 'S', date_of_birth: '1990-07-15', sex: 'M', consent: 'Y', team_id: staff.teamId, keyworker_id: staff.staffId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const episode = await db
    .insertInto('episodes')
    .values({ agency_id: staff.agencyId, client_id: client.id, episode_ref: `${clientRef}-E`, referral_date: '2024-03-01', triage_date: '2024-03-05' })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('interventions')
    .values({ agency_id: staff.agencyId, episode_id: episode.id, intervention_ref: `${clientRef}-I`, intervention_type: '94', setting: '1', referral_date: '2024-03-05', start_date: '2024-03-06' })
    .execute();
  return { clientId: client.id, episodeId: episode.id, episodeVersion: episode.version };
}

/**
 * Searches the caseload as the form does: posts the fields, then follows the redirect to the
 * caseload URL with the sealed search. Returns the page and the URL it was read from.
 */
export async function searchCaseload(app: FastifyInstance, fields: Record<string, string>, cookie: string): Promise<{ response: LightMyRequestResponse; url: string }> {
  const posted = await postForm(app, '/search', fields, cookie);
  if (posted.statusCode !== 303) return { response: posted, url: '/search' };
  const url = String(posted.headers.location);
  return { response: await app.inject({ url, headers: { cookie } }), url };
}
