import type { FastifyInstance } from 'fastify';
import { recordAuditEvent, staffActor } from '../../db/audit.js';
import { verifyPassword } from '../accounts/passwords.js';
import { endSession, sessionCookieName, sessionLifetimeMs, startSession } from '../accounts/sessions.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { homePathFor } from '../navigation.js';
import type { RouteContext } from './route-context.js';

// One message for an unknown email, a wrong password and a disabled account, so the page
// does not reveal which email addresses have accounts.
const signInFailed = 'Enter a correct email address and password. Ask an administrator if your account is disabled.';

export function registerSignInRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;

  app.get('/sign-in', { config: { public: true } }, async (request, reply) => {
    if (request.staff) return reply.redirect(homePathFor(request.staff));
    return reply.view('sign-in.njk', { pageTitle: 'Sign in', values: {}, fieldErrors: {} }, request);
  });

  app.post('/sign-in', { config: { public: true } }, async (request, reply) => {
    const body = request.body as FormBody;
    const email = textOf(body, 'email').toLowerCase();
    const password = typeof body['password'] === 'string' ? body['password'] : '';

    const staff = await db.selectFrom('staff').select(['id', 'password_hash', 'disabled_at', 'roles']).where('email', '=', email).executeTakeFirst();
    const passwordMatches = staff?.password_hash ? await verifyPassword(staff.password_hash, password) : false;
    if (!staff || staff.disabled_at !== null || !passwordMatches) {
      // The typed email is not recorded for an unknown account: people sometimes type a password there.
      let reason = 'The password is wrong';
      if (!staff) reason = 'No account has this email address';
      else if (staff.disabled_at !== null) reason = 'The account is disabled';
      await recordAuditEvent(db, { actor: 'anonymous', action: 'session.sign-in-failed', entity: 'staff', entityId: staff?.id ?? 'unknown', reason });
      request.log.info({ staffId: staff?.id }, 'sign-in rejected');
      const errors = new FormErrors();
      errors.add('email', signInFailed);
      return reply.code(401).view('sign-in.njk', { pageTitle: 'Sign in', values: { email }, errors: errors.summary, fieldErrors: errors.byField }, request);
    }

    // A new token on every sign-in, and the old one ended, so a token planted before sign-in is useless.
    const previous = request.cookies[sessionCookieName];
    const token = await db.transaction().execute(async (trx) => {
      if (previous) await endSession(trx, previous);
      const started = await startSession(trx, staff.id);
      await recordAuditEvent(trx, { actor: staffActor(staff.id), action: 'session.sign-in', entity: 'staff', entityId: staff.id });
      return started;
    });
    void reply.setCookie(sessionCookieName, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: context.secureCookies, maxAge: sessionLifetimeMs / 1000 });
    request.log.info({ staffId: staff.id }, 'signed in');
    return reply.redirect(homePathFor(staff), 303);
  });

  app.post('/sign-out', { config: { public: true } }, async (request, reply) => {
    const token = request.cookies[sessionCookieName];
    const staff = request.staff;
    if (token) {
      await db.transaction().execute(async (trx) => {
        await endSession(trx, token);
        if (staff) await recordAuditEvent(trx, { actor: staffActor(staff.id), action: 'session.sign-out', entity: 'staff', entityId: staff.id });
      });
    }
    void reply.clearCookie(sessionCookieName, { path: '/' });
    return reply.redirect('/sign-in', 303);
  });
}
