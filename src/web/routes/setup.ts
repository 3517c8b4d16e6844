import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { recordAuditEvent, staffActor } from '../../db/audit.js';
import { hashPassword, passwordProblem } from '../accounts/passwords.js';
import { setSessionCookie, startSession } from '../accounts/sessions.js';
import { staffRoles } from '../accounts/roles.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import type { RouteContext } from './route-context.js';

const agencyCodePattern = /^[A-Z0-9]{5}$/;

/**
 * The one-time set-up page: creates the organisation, first agency and team, and the first
 * administrator. It answers only while no staff account exists, and only to someone who
 * has the token printed in the server log at start.
 */
export function registerSetupRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;

  async function setupIsOpen(): Promise<boolean> {
    const row = await db.selectFrom('staff').select('id').limit(1).executeTakeFirst();
    return row === undefined;
  }

  app.get('/setup', { config: { public: true } }, async (request, reply) => {
    if (!(await setupIsOpen())) return reply.redirect('/sign-in');
    return reply.view('setup.njk', { pageTitle: 'Set up Waymark', values: {}, fieldErrors: {} }, request);
  });

  app.post('/setup', { config: { public: true } }, async (request, reply) => {
    if (!(await setupIsOpen())) return reply.redirect('/sign-in');
    const body = request.body as FormBody;
    const values = readSetupForm(body);
    const errors = checkSetupForm(values, context.setupToken);
    if (errors.any) {
      // The password and token are never sent back to the page.
      const shown = { ...values, password: '', token: '' };
      return reply.code(400).view('setup.njk', { pageTitle: 'Set up Waymark', values: shown, errors: errors.summary, fieldErrors: errors.byField }, request);
    }

    const passwordHash = await hashPassword(values.password);
    const staffId = await db.transaction().execute(async (trx) => {
      const organisation = await trx.insertInto('organisations').values({ name: values.organisationName }).returningAll().executeTakeFirstOrThrow();
      const agency = await trx.insertInto('agencies').values({ organisation_id: organisation.id, code: values.agencyCode, name: values.agencyName }).returningAll().executeTakeFirstOrThrow();
      const team = await trx.insertInto('teams').values({ agency_id: agency.id, name: values.teamName }).returningAll().executeTakeFirstOrThrow();
      const staff = await trx
        .insertInto('staff')
        .values({
          organisation_id: organisation.id,
          email: values.email.toLowerCase(),
          display_name: values.displayName,
          password_hash: passwordHash,
          roles: staffRoles.map((role) => role.value).filter((role) => role === 'administrator' || role === 'team-leader'),
          competences: [],
          registrations: [],
        })
        .returning(['id', 'email', 'display_name', 'roles'])
        .executeTakeFirstOrThrow();
      await trx.insertInto('staff_teams').values({ staff_id: staff.id, team_id: team.id }).execute();
      await recordAuditEvent(trx, { actor: staffActor(staff.id), action: 'setup.complete', entity: 'organisation', entityId: organisation.id, after: { organisation, agency, team, staff: { ...staff, team_ids: [team.id] } } });
      return staff.id;
    });
    request.log.info({ staffId }, 'first administrator created');

    const token = await startSession(db, staffId, context.now());
    setSessionCookie(reply, token, context.secureCookies);
    // Administrators need a second factor, so the first page asks them to set one up.
    return reply.redirect('/account/second-factor', 303);
  });
}

interface SetupForm {
  token: string;
  organisationName: string;
  agencyCode: string;
  agencyName: string;
  teamName: string;
  displayName: string;
  email: string;
  password: string;
}

function readSetupForm(body: FormBody): SetupForm {
  return {
    token: textOf(body, 'token'),
    organisationName: textOf(body, 'organisationName'),
    agencyCode: textOf(body, 'agencyCode').toUpperCase(),
    agencyName: textOf(body, 'agencyName'),
    teamName: textOf(body, 'teamName'),
    displayName: textOf(body, 'displayName'),
    email: textOf(body, 'email'),
    // Passwords keep their spaces: only the form's other fields are trimmed.
    password: typeof body['password'] === 'string' ? body['password'] : '',
  };
}

function checkSetupForm(values: SetupForm, expectedToken: string): FormErrors {
  const errors = new FormErrors();
  if (!tokensMatch(values.token, expectedToken)) errors.add('token', 'Enter the set-up token printed in the server log when Waymark started');
  if (values.organisationName === '') errors.add('organisationName', 'Enter the name of your organisation');
  if (!agencyCodePattern.test(values.agencyCode)) {
    errors.add('agencyCode', values.agencyCode === '' ? 'Enter the NDTMS agency code' : `Agency code ${values.agencyCode} must be 5 letters or digits, for example ABC12`);
  }
  if (values.agencyName === '') errors.add('agencyName', 'Enter the name of the agency');
  if (values.teamName === '') errors.add('teamName', 'Enter the name of your first team');
  if (values.displayName === '') errors.add('displayName', 'Enter your name as colleagues will see it');
  if (!/^[^\s@]+@[^\s@]+$/.test(values.email)) errors.add('email', 'Enter an email address in the correct format, like name@example.org');
  const problem = passwordProblem(values.password, values.email);
  if (problem) errors.add('password', problem);
  return errors;
}

function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
