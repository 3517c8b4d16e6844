import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { sessionCookieName, startSession } from '../accounts/sessions.js';
import type { RegisteredRoute } from '../server.js';
import { createWebTestApp, fetchCsrf, postFormWithoutCsrf, testTotpSecret } from '../testing/web-test-app.js';
import type { WebTestApp } from '../testing/web-test-app.js';
import { hasPermission } from './permissions.js';
import type { RoutePermission } from './permissions.js';

// Checks every registered route against the permission matrix and the client scope, for
// every role, on records of the staff member's own team, another team of their agency,
// another agency of their organisation and another organisation. A route the app
// registers without an entry in `routeExpectations` fails the first test.

const roleCases = {
  keyworker: ['keyworker'],
  prescriber: ['prescriber'],
  'team leader': ['team-leader'],
  'data officer': ['data-officer'],
  administrator: ['administrator'],
  'no roles': [],
  'data officer and keyworker': ['data-officer', 'keyworker'],
} as const satisfies Record<string, readonly string[]>;
type RoleCase = keyof typeof roleCases;

const targets = ['own team', 'other team', 'other agency', 'other organisation'] as const;
type Target = (typeof targets)[number];

/** What each role may do with a client of each target, written out by hand from the access rules. */
const expectedReach: Record<RoleCase, Record<Target, 'edit' | 'view' | 'none'>> = {
  keyworker: { 'own team': 'edit', 'other team': 'none', 'other agency': 'none', 'other organisation': 'none' },
  prescriber: { 'own team': 'edit', 'other team': 'none', 'other agency': 'none', 'other organisation': 'none' },
  'team leader': { 'own team': 'edit', 'other team': 'none', 'other agency': 'none', 'other organisation': 'none' },
  'data officer': { 'own team': 'view', 'other team': 'view', 'other agency': 'none', 'other organisation': 'none' },
  administrator: { 'own team': 'none', 'other team': 'none', 'other agency': 'none', 'other organisation': 'none' },
  'no roles': { 'own team': 'none', 'other team': 'none', 'other agency': 'none', 'other organisation': 'none' },
  'data officer and keyworker': { 'own team': 'edit', 'other team': 'view', 'other agency': 'none', 'other organisation': 'none' },
};

type RecordKind = 'client' | 'episode' | 'intervention' | 'review';

interface RouteExpectation {
  /** The permission the route must name, or `public`. */
  permission: RoutePermission | 'public';
  /**
   * The record the URL's `:id` names, and the access the route needs to it. `staff` ids
   * are the requesting member of staff (own organisation) or one of another organisation.
   */
  record?: { kind: RecordKind; mode: 'view' | 'edit' } | { kind: 'staff' };
  /**
   * Status when access is allowed. GET pages respond with 200. POSTs send only the CSRF
   * token, so a form responds with 400 and its errors, and stores nothing.
   */
  allowed: number;
  /** Public routes only: status without a session. */
  signedOut?: number;
  /** A URL to request in place of the pattern, for routes whose parameter is not a record id. */
  example?: string;
  /** Statuses of break-glass routes, which depend on scope: a redirect to the record in scope, the form outside it. */
  breakGlass?: { inScope: number; outsideScope: number };
  /**
   * Statuses of correction grant routes: a redirect for a client the requester may already
   * change, the form for one they may only view. Any other client is not found.
   */
  correction?: { editable: number; viewable: number };
}

/** The edit forms, which data officers reach through a correction grant. */
const editOrCorrect = ['client:edit', 'record:correct'] as const;

/**
 * Expected responses of every route. Add a route here when you register it: its
 * permission, the record its `:id` names, and its status when access is allowed.
 */
const routeExpectations: Record<string, RouteExpectation> = {
  'GET /setup': { permission: 'public', allowed: 302, signedOut: 302 },
  'POST /setup': { permission: 'public', allowed: 302, signedOut: 302 },
  'GET /sign-in': { permission: 'public', allowed: 302, signedOut: 200 },
  'POST /sign-in': { permission: 'public', allowed: 401, signedOut: 401 },
  'POST /sign-out': { permission: 'public', allowed: 303, signedOut: 303 },
  'GET /health': { permission: 'public', allowed: 200, signedOut: 200 },
  'GET /favicon.ico': { permission: 'public', allowed: 204, signedOut: 204 },
  'GET /admin/staff': { permission: 'staff:manage', allowed: 200 },
  'GET /admin/staff/new': { permission: 'staff:manage', allowed: 200 },
  'POST /admin/staff/new': { permission: 'staff:manage', allowed: 400 },
  'GET /admin/staff/:id': { permission: 'staff:manage', record: { kind: 'staff' }, allowed: 200 },
  'POST /admin/staff/:id': { permission: 'staff:manage', record: { kind: 'staff' }, allowed: 400 },
  // An empty form requests disabling the account, and staff cannot disable their own.
  'POST /admin/staff/:id/disable': { permission: 'staff:manage', record: { kind: 'staff' }, allowed: 400 },
  'GET /': { permission: 'caseload:view', allowed: 200 },
  // An empty search is no search, so the form sends the browser back to the whole caseload.
  'POST /search': { permission: 'caseload:view', allowed: 303 },
  'GET /clients/new': { permission: 'client:edit', allowed: 200 },
  'POST /clients/new': { permission: 'client:edit', allowed: 400 },
  'GET /clients/:id': { permission: 'client:view', record: { kind: 'client', mode: 'view' }, allowed: 200 },
  'GET /clients/:id/edit': { permission: editOrCorrect, record: { kind: 'client', mode: 'edit' }, allowed: 200 },
  'POST /clients/:id/edit': { permission: editOrCorrect, record: { kind: 'client', mode: 'edit' }, allowed: 400 },
  'GET /clients/:id/episodes/new': { permission: 'client:edit', record: { kind: 'client', mode: 'edit' }, allowed: 200 },
  'POST /clients/:id/episodes/new': { permission: 'client:edit', record: { kind: 'client', mode: 'edit' }, allowed: 400 },
  'GET /episodes/:id/edit': { permission: editOrCorrect, record: { kind: 'episode', mode: 'edit' }, allowed: 200 },
  'POST /episodes/:id/edit': { permission: editOrCorrect, record: { kind: 'episode', mode: 'edit' }, allowed: 400 },
  'GET /episodes/:id/interventions/new': { permission: 'client:edit', record: { kind: 'episode', mode: 'edit' }, allowed: 200 },
  'POST /episodes/:id/interventions/new': { permission: 'client:edit', record: { kind: 'episode', mode: 'edit' }, allowed: 400 },
  'GET /interventions/:id/edit': { permission: editOrCorrect, record: { kind: 'intervention', mode: 'edit' }, allowed: 200 },
  'POST /interventions/:id/edit': { permission: editOrCorrect, record: { kind: 'intervention', mode: 'edit' }, allowed: 400 },
  'GET /episodes/:id/reviews/new': { permission: 'client:edit', record: { kind: 'episode', mode: 'edit' }, allowed: 200 },
  'POST /episodes/:id/reviews/new': { permission: 'client:edit', record: { kind: 'episode', mode: 'edit' }, allowed: 400 },
  'GET /reviews/:id/edit': { permission: editOrCorrect, record: { kind: 'review', mode: 'edit' }, allowed: 200 },
  'POST /reviews/:id/edit': { permission: editOrCorrect, record: { kind: 'review', mode: 'edit' }, allowed: 400 },
  'GET /catalogue/lookup': { permission: 'client:edit', allowed: 200 },
  'GET /clients/:id/break-glass': { permission: 'break-glass:use', record: { kind: 'client', mode: 'view' }, allowed: 200, breakGlass: { inScope: 303, outsideScope: 200 } },
  'POST /clients/:id/break-glass': { permission: 'break-glass:use', record: { kind: 'client', mode: 'view' }, allowed: 400, breakGlass: { inScope: 303, outsideScope: 400 } },
  'GET /break-glass': { permission: 'break-glass:review', allowed: 200 },
  'GET /clients/:id/correction': { permission: 'record:correct', record: { kind: 'client', mode: 'edit' }, allowed: 200, correction: { editable: 303, viewable: 200 } },
  'POST /clients/:id/correction': { permission: 'record:correct', record: { kind: 'client', mode: 'edit' }, allowed: 400, correction: { editable: 303, viewable: 400 } },
  // Without the cookie the password step sets, the code page sends the browser back to sign-in.
  'GET /sign-in/code': { permission: 'public', allowed: 302, signedOut: 302 },
  'POST /sign-in/code': { permission: 'public', allowed: 400, signedOut: 400 },
  'GET /account': { permission: 'account:self', allowed: 200 },
  'GET /account/password': { permission: 'account:self', allowed: 200 },
  'POST /account/password': { permission: 'account:self', allowed: 400 },
  'GET /account/second-factor': { permission: 'account:self', allowed: 200 },
  'POST /account/second-factor/replace': { permission: 'account:self', allowed: 303 },
  'POST /account/second-factor': { permission: 'account:self', allowed: 400 },
  'GET /reports': { permission: 'reports:view', allowed: 200 },
  'GET /reports/:name': { permission: 'reports:view', allowed: 200, example: '/reports/clients-in-treatment' },
  'GET /reports/:name/download': { permission: 'reports:view', allowed: 200, example: '/reports/clients-in-treatment/download?version=exact&period=2024-03' },
  'GET /data-quality': { permission: 'reports:view', allowed: 200 },
  'GET /admin/audit': { permission: 'audit:view', allowed: 200 },
  // An empty reference finds no client, so the response is 400 with a message.
  'POST /admin/audit/find-client': { permission: 'audit:view', allowed: 400 },
  'GET /admin/audit/export.csv': { permission: 'audit:view', allowed: 200 },
  // No client has this id, so an allowed request finds none; audit.test.ts covers real ids.
  'GET /admin/audit/clients/:id': { permission: 'audit:view', allowed: 404, example: '/admin/audit/clients/999999' },
  'GET /month-end': { permission: 'month-end:manage', allowed: 200 },
  'POST /month-end/confirm': { permission: 'month-end:manage', allowed: 400 },
  'POST /month-end/record-check': { permission: 'month-end:manage', allowed: 400 },
  'POST /month-end/generate': { permission: 'month-end:manage', allowed: 400 },
  'GET /month-end/submissions': { permission: 'month-end:manage', allowed: 200 },
  // No submission exists in the matrix database, so an allowed request finds none.
  'GET /month-end/submissions/:id': { permission: 'month-end:manage', allowed: 404, example: '/month-end/submissions/999999' },
  'GET /month-end/submissions/:id/file': { permission: 'month-end:manage', allowed: 404, example: '/month-end/submissions/999999/file' },
  'GET /month-end/submissions/:id/manifest': { permission: 'month-end:manage', allowed: 404, example: '/month-end/submissions/999999/manifest' },
  'POST /month-end/submissions/:id/sent': { permission: 'month-end:manage', allowed: 404, example: '/month-end/submissions/999999/sent' },
  'GET /month-end/submissions/:id/row': { permission: 'month-end:manage', allowed: 404, example: '/month-end/submissions/999999/row' },
  'GET /data-quality/records': { permission: 'reports:view', allowed: 200, example: '/data-quality/records?measure=overdue' },
};

const keyOf = (route: { method: string; url: string }): string => `${route.method} ${route.url}`;

interface SeededRecord {
  clientId: number;
  episodeId: number;
  interventionId: number;
  reviewId: number;
}

interface Requester {
  roles: readonly string[];
  staffId: number;
  cookie: string;
  csrfToken: string;
}

/** Returns the expected label when access is allowed, naming a 404 as `answerOf` does. */
function allowedAnswer(expectation: RouteExpectation): string {
  return expectation.allowed === 404 ? '404 not found' : String(expectation.allowed);
}

/** Computes the expected response of a route for a role and target from the matrix and the scope table. */
function expectedAnswer(expectation: RouteExpectation, roleCase: RoleCase, target: Target | undefined): string {
  const roles = roleCases[roleCase];
  if (expectation.permission === 'public') return allowedAnswer(expectation);
  if (!hasPermission(roles, expectation.permission)) return '403 forbidden';
  const record = expectation.record;
  if (!record || target === undefined) return allowedAnswer(expectation);
  if (record.kind === 'staff') return target === 'other organisation' ? '404 not found' : allowedAnswer(expectation);

  const reach = expectedReach[roleCase][target];
  if (expectation.correction) {
    if (reach === 'edit') return String(expectation.correction.editable);
    return reach === 'view' ? String(expectation.correction.viewable) : '404 not found';
  }
  const inScope = record.mode === 'view' ? reach !== 'none' : reach === 'edit';
  if (expectation.breakGlass) {
    if (target === 'other organisation') return '404 not found';
    return String(inScope ? expectation.breakGlass.inScope : expectation.breakGlass.outsideScope);
  }
  if (inScope) return allowedAnswer(expectation);
  if (target === 'other organisation') return '404 not found';
  if (record.mode === 'edit' && reach === 'view' && hasPermission(roles, 'record:correct')) return '403 correction';
  if (hasPermission(roles, 'break-glass:use')) return '403 break-glass';
  if (record.mode === 'edit' && reach === 'view') return '403 read-only';
  return '404 not found';
}

/** Names a response by status, and for refusals by the page it shows. */
function answerOf(response: LightMyRequestResponse): string {
  const body = response.body;
  if (response.statusCode === 403 && body.includes('You do not have access to this page')) return '403 forbidden';
  if (response.statusCode === 403 && /action="\/clients\/\d+\/break-glass"/.test(body)) return '403 break-glass';
  if (response.statusCode === 403 && /action="\/clients\/\d+\/correction"/.test(body)) return '403 correction';
  if (response.statusCode === 403 && body.includes('You can view this client but not change it')) return '403 read-only';
  if (response.statusCode === 403 && body.includes('This form has expired')) return '403 form expired';
  if (response.statusCode === 404 && body.includes('Page not found')) return '404 not found';
  return String(response.statusCode);
}

void describe('access matrix', () => {
  let web: WebTestApp;
  let routes: RegisteredRoute[];
  const records = new Map<Target, SeededRecord>();
  const requesters = new Map<RoleCase, Requester>();
  let otherOrganisationStaffId: number;

  before(async () => {
    web = await createWebTestApp();
    routes = web.app.registeredRoutes;
    const { db } = web.database;

    const organisation = await db.insertInto('organisations').values({ name: 'Matrix organisation' }).returning('id').executeTakeFirstOrThrow();
    const otherOrganisation = await db.insertInto('organisations').values({ name: 'Other organisation' }).returning('id').executeTakeFirstOrThrow();
    const agency = await db.insertInto('agencies').values({ organisation_id: organisation.id, code: 'MTXA1', name: 'Matrix agency' }).returning('id').executeTakeFirstOrThrow();
    const otherAgency = await db.insertInto('agencies').values({ organisation_id: organisation.id, code: 'MTXA2', name: 'Second agency' }).returning('id').executeTakeFirstOrThrow();
    const foreignAgency = await db.insertInto('agencies').values({ organisation_id: otherOrganisation.id, code: 'MTXB1', name: 'Foreign agency' }).returning('id').executeTakeFirstOrThrow();
    const teamOf = async (agencyId: number, name: string): Promise<number> => (await db.insertInto('teams').values({ agency_id: agencyId, name }).returning('id').executeTakeFirstOrThrow()).id;
    const teams: Record<Target, { agencyId: number; teamId: number }> = {
      'own team': { agencyId: agency.id, teamId: await teamOf(agency.id, 'Own team') },
      'other team': { agencyId: agency.id, teamId: await teamOf(agency.id, 'Other team') },
      'other agency': { agencyId: otherAgency.id, teamId: await teamOf(otherAgency.id, 'Second agency team') },
      'other organisation': { agencyId: foreignAgency.id, teamId: await teamOf(foreignAgency.id, 'Foreign team') },
    };

    for (const [index, target] of targets.entries()) {
      const { agencyId, teamId } = teams[target];
      const client = await db
        .insertInto('clients')
        .values({ agency_id: agencyId, client_ref: `C-MTX-${index}`, first_initial: 'J', surname_initial: 'S', date_of_birth: '1990-07-15', sex: 'M', consent: 'Y', team_id: teamId })
        .returning('id')
        .executeTakeFirstOrThrow();
      const episode = await db
        .insertInto('episodes')
        .values({ agency_id: agencyId, client_id: client.id, episode_ref: `E-MTX-${index}`, referral_date: '2024-03-01', triage_date: '2024-03-05' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const intervention = await db
        .insertInto('interventions')
        .values({ agency_id: agencyId, episode_id: episode.id, intervention_ref: `I-MTX-${index}`, intervention_type: '94', setting: '1', referral_date: '2024-03-05', start_date: '2024-03-06' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const review = await db
        .insertInto('reviews')
        .values({ agency_id: agencyId, episode_id: episode.id, review_ref: `R-MTX-${index}`, review_date: '2024-03-10', methadone_dose: 60, ost_supervision: '1' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('review_items').values({ review_id: review.id, sub_intervention_code: 'PHMETHMNT' }).execute();
      records.set(target, { clientId: client.id, episodeId: episode.id, interventionId: intervention.id, reviewId: review.id });
    }

    const addStaff = async (organisationId: number, email: string, roles: readonly string[], teamId: number): Promise<number> => {
      // Administrators must have a second factor before any other page opens, so they get one.
      const totpSecret = roles.includes('administrator') ? testTotpSecret : null;
      const row = await db.insertInto('staff').values({ organisation_id: organisationId, email, display_name: email, roles: [...roles], totp_secret: totpSecret }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('staff_teams').values({ staff_id: row.id, team_id: teamId }).execute();
      return row.id;
    };
    for (const [index, [roleCase, roles]] of Object.entries(roleCases).entries()) {
      const staffId = await addStaff(organisation.id, `matrix-${index}@example.invalid`, roles, teams['own team'].teamId);
      const cookie = `${sessionCookieName}=${await startSession(db, staffId, new Date())}`;
      const csrf = await fetchCsrf(web.app, ['/no-such-page'], cookie);
      requesters.set(roleCase as RoleCase, { roles, staffId, cookie: `${cookie}; ${csrf.cookie}`, csrfToken: csrf.token });
    }
    otherOrganisationStaffId = await addStaff(otherOrganisation.id, 'foreign@example.invalid', ['administrator'], teams['other organisation'].teamId);
  });
  after(async () => web.close());

  function urlOf(route: RegisteredRoute, target: Target | undefined, requester: Requester): string {
    const expectation = routeExpectations[keyOf(route)];
    const record = expectation?.record;
    if (!record || target === undefined) return expectation?.example ?? route.url;
    if (record.kind === 'staff') {
      const staffId = target === 'other organisation' ? otherOrganisationStaffId : requester.staffId;
      return route.url.replace(':id', String(staffId));
    }
    const seeded = records.get(target) as SeededRecord;
    const ids: Record<RecordKind, number> = { client: seeded.clientId, episode: seeded.episodeId, intervention: seeded.interventionId, review: seeded.reviewId };
    return route.url.replace(':id', String(ids[record.kind]));
  }

  function targetsOf(expectation: RouteExpectation): (Target | undefined)[] {
    if (!expectation.record) return [undefined];
    if (expectation.record.kind === 'staff') return ['own team', 'other organisation'];
    return [...targets];
  }

  /**
   * Counts and versions of every table a form could write, to prove a request stored nothing.
   * Audit events are left out: a rejected sign-in is itself audited, and the audit tests
   * check each event a request writes.
   */
  async function storedState(): Promise<unknown> {
    const result = await sql<Record<string, string>>`
      select
        (select count(*) from clients) as clients,
        (select coalesce(sum(version), 0) from clients) as client_versions,
        (select count(*) from episodes) as episodes,
        (select coalesce(sum(version), 0) from episodes) as episode_versions,
        (select count(*) from interventions) as interventions,
        (select coalesce(sum(version), 0) from interventions) as intervention_versions,
        (select count(*) from reviews) as reviews,
        (select coalesce(sum(version), 0) from reviews) as review_versions,
        (select count(*) from review_items) as review_items,
        (select count(*) from staff) as staff,
        (select coalesce(sum(version), 0) from staff) as staff_versions,
        (select count(*) from staff where disabled_at is not null) as disabled_staff,
        (select count(*) from staff_teams) as staff_teams,
        (select count(*) from break_glass_grants) as break_glass_grants,
        (select count(*) from organisations) as organisations
    `.execute(web.database.db);
    return Object.fromEntries(Object.entries(result.rows[0] ?? {}).map(([name, value]) => [name, String(value)]));
  }

  async function send(route: RegisteredRoute, url: string, requester: Requester | undefined, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    if (route.method === 'GET') return web.app.inject({ url, headers: requester ? { cookie: requester.cookie } : {} });
    return postFormWithoutCsrf(web.app, url, fields, requester?.cookie);
  }

  /**
   * Starts a single-use session for the requester. Public routes include sign-out, which
   * would otherwise end the session that later requests use.
   */
  async function freshRequester(requester: Requester): Promise<Requester> {
    const cookie = `${sessionCookieName}=${await startSession(web.database.db, requester.staffId, new Date())}`;
    const csrf = await fetchCsrf(web.app, ['/no-such-page'], cookie);
    return { ...requester, cookie: `${cookie}; ${csrf.cookie}`, csrfToken: csrf.token };
  }

  void test('every route has an expected answer', () => {
    const registered = new Set(routes.map(keyOf));
    const missing = [...registered].filter((key) => !(key in routeExpectations));
    assert.deepEqual(missing, [], `Add ${missing.join(', ')} to routeExpectations in src/web/security/access-matrix.test.ts: its permission, the record its :id names and the status it answers when allowed`);
    const stale = Object.keys(routeExpectations).filter((key) => !registered.has(key));
    assert.deepEqual(stale, [], 'routeExpectations lists routes the app no longer registers: remove them');
  });

  void test('routes name the expected permission', () => {
    const named = Object.fromEntries(routes.map((route) => [keyOf(route), route.public ? 'public' : route.permission]));
    const expected = Object.fromEntries(routes.map((route) => [keyOf(route), routeExpectations[keyOf(route)]?.permission]));
    assert.deepEqual(named, expected);
  });

  void test('every route answers each role as the matrix says', async () => {
    for (const route of routes) {
      const expectation = routeExpectations[keyOf(route)];
      if (!expectation) continue;
      const expected: Record<string, string> = {};
      const actual: Record<string, string> = {};
      // Allowed POSTs send an empty form, so no request of any role may store anything.
      const before = await storedState();
      for (const roleCase of Object.keys(roleCases) as RoleCase[]) {
        for (const target of targetsOf(expectation)) {
          const requester = expectation.permission === 'public' ? await freshRequester(requesters.get(roleCase) as Requester) : (requesters.get(roleCase) as Requester);
          const label = target === undefined ? roleCase : `${roleCase}, ${target}`;
          const response = await send(route, urlOf(route, target, requester), requester, { _csrf: requester.csrfToken });
          expected[label] = expectedAnswer(expectation, roleCase, target);
          actual[label] = answerOf(response);
        }
      }
      assert.deepEqual(actual, expected, `${keyOf(route)} answered differently from the matrix`);
      assert.deepEqual(await storedState(), before, `${keyOf(route)} stored something`);
    }
  });

  void test('public routes answer signed out', async () => {
    const actual: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const route of routes.filter((item) => item.public)) {
      const csrf = await fetchCsrf(web.app, ['/sign-in']);
      const response = route.method === 'GET' ? await web.app.inject({ url: route.url }) : await postFormWithoutCsrf(web.app, route.url, { _csrf: csrf.token }, csrf.cookie);
      actual[keyOf(route)] = answerOf(response);
      expected[keyOf(route)] = String(routeExpectations[keyOf(route)]?.signedOut);
    }
    assert.deepEqual(actual, expected);
  });

  void test('forms without a valid token store nothing', async () => {
    const actual: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const route of routes.filter((item) => item.method === 'POST')) {
      const expectation = routeExpectations[keyOf(route)] as RouteExpectation;
      // Sign in as a role the route allows, so only the token can cause the refusal.
      const roleCase = (Object.keys(roleCases) as RoleCase[]).find((item) => expectation.permission === 'public' || hasPermission(roleCases[item], expectation.permission)) ?? 'keyworker';
      const requester = await freshRequester(requesters.get(roleCase) as Requester);
      const url = urlOf(route, 'own team', requester);
      const attempts: [string, Record<string, string>][] = [['missing token', {}], ['forged token', { _csrf: `${requester.csrfToken}x` }]];
      for (const [label, fields] of attempts) {
        const before = await storedState();
        const response = await postFormWithoutCsrf(web.app, url, fields, requester.cookie);
        actual[`${keyOf(route)}, ${label}`] = answerOf(response);
        expected[`${keyOf(route)}, ${label}`] = '403 form expired';
        assert.deepEqual(await storedState(), before, `${keyOf(route)} with a ${label} stored something`);
      }
    }
    assert.deepEqual(actual, expected);
  });

  void test('protected routes need a live session', async () => {
    const keyworker = requesters.get('keyworker') as Requester;
    const expiredToken = await startSession(web.database.db, keyworker.staffId, new Date(Date.now() - 13 * 60 * 60 * 1000));
    const liveToken = await startSession(web.database.db, keyworker.staffId, new Date());
    const tamperedToken = `${liveToken.slice(0, -1)}${liveToken.endsWith('A') ? 'B' : 'A'}`;
    const sessions: Record<string, string | undefined> = {
      'no cookie': undefined,
      'expired session': `${sessionCookieName}=${expiredToken}`,
      'tampered cookie': `${sessionCookieName}=${tamperedToken}`,
    };
    const actual: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const route of routes.filter((item) => !item.public)) {
      for (const [label, cookie] of Object.entries(sessions)) {
        const url = urlOf(route, 'own team', keyworker);
        const response = route.method === 'GET' ? await web.app.inject({ url, headers: cookie ? { cookie } : {} }) : await postFormWithoutCsrf(web.app, url, {}, cookie);
        actual[`${keyOf(route)}, ${label}`] = `${response.statusCode} ${String(response.headers.location)}`;
        expected[`${keyOf(route)}, ${label}`] = '302 /sign-in';
      }
    }
    assert.deepEqual(actual, expected);
  });

  void test('caseload lists clients in view scope', async () => {
    const listed: Record<string, string[]> = {};
    const expected: Record<string, string[]> = {};
    for (const roleCase of Object.keys(roleCases) as RoleCase[]) {
      if (!hasPermission(roleCases[roleCase], 'caseload:view')) continue;
      const response = await web.app.inject({ url: '/', headers: { cookie: (requesters.get(roleCase) as Requester).cookie } });
      listed[roleCase] = [...response.body.matchAll(/<a href="\/clients\/(\d+)">/g)].map((match) => match[1] ?? '').sort();
      expected[roleCase] = targets.filter((target) => expectedReach[roleCase][target] !== 'none').map((target) => String(records.get(target)?.clientId)).sort();
    }
    assert.deepEqual(listed, expected);
  });
});
