import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAuditEvent, staffActor } from '../../db/audit.js';
import { verifyPassword } from '../accounts/passwords.js';
import { acceptTotpCode } from '../accounts/second-factor.js';
import { endSession, sessionCookieName, sessionIdOf, setSessionCookie, startSession } from '../accounts/sessions.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { homePathFor } from '../navigation.js';
import type { RouteContext } from './route-context.js';

// One message for an unknown email, a wrong password and a disabled account, so the page
// does not reveal which email addresses have accounts.
const signInFailed = 'Enter a correct email address and password. Ask an administrator if your account is disabled.';

/** Cookie that carries a sign-in from the password step to the second-factor step. */
export const challengeCookieName = 'waymark_sign_in';

/** Time allowed between the password step and the code step. */
const challengeLifetimeMs = 5 * 60 * 1000;

export function registerSignInRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db, settings } = context;
  // Counts every sign-in form post per network address, so one address cannot try many
  // accounts. The per-account lock below counts failures only.
  const addressLimit = { rateLimit: { max: settings.signInPostsPerAddress, timeWindow: settings.signInAddressWindowMinutes * 60 * 1000 } };

  app.get('/sign-in', { config: { public: true } }, async (request, reply) => {
    if (request.staff) return reply.redirect(homePathFor(request.staff));
    return reply.view('sign-in.njk', { pageTitle: 'Sign in', values: {}, fieldErrors: {} }, request);
  });

  app.post('/sign-in', { config: { public: true, ...addressLimit } }, async (request, reply) => {
    const body = request.body as FormBody;
    const email = textOf(body, 'email').toLowerCase();
    const password = typeof body['password'] === 'string' ? body['password'] : '';
    const now = context.now();

    const staff = await db
      .selectFrom('staff')
      .select(['id', 'password_hash', 'disabled_at', 'roles', 'totp_secret', 'locked_until'])
      .where('email', '=', email)
      .executeTakeFirst();
    if (staff && isLocked(staff.locked_until, now)) return sendLocked(request, reply, staff.locked_until as Date, now);

    const passwordMatches = staff?.password_hash ? await verifyPassword(staff.password_hash, password) : false;
    if (!staff || staff.disabled_at !== null || !passwordMatches) {
      // The typed email is not recorded for an unknown account: people sometimes type a password there.
      let reason = 'The password is wrong';
      if (!staff) reason = 'No account has this email address';
      else if (staff.disabled_at !== null) reason = 'The account is disabled';
      await recordAuditEvent(db, { actor: 'anonymous', action: 'session.sign-in-failed', entity: 'staff', entityId: staff?.id ?? 'unknown', reason });
      request.log.info({ staffId: staff?.id }, 'sign-in rejected');
      if (staff) {
        const lockedUntil = await countFailedSignIn(context, staff.id, now);
        if (lockedUntil) {
          request.log.warn({ staffId: staff.id, lockedUntil }, 'account locked after failed sign-ins');
          return sendLocked(request, reply, lockedUntil, now);
        }
      }
      const errors = new FormErrors();
      errors.add('email', signInFailed);
      return reply.code(401).view('sign-in.njk', { pageTitle: 'Sign in', values: { email }, errors: errors.summary, fieldErrors: errors.byField }, request);
    }

    if (staff.totp_secret !== null) {
      const token = randomBytes(32).toString('base64url');
      await db.deleteFrom('sign_in_challenges').where('expires_at', '<=', now).execute();
      await db.insertInto('sign_in_challenges').values({ id: sessionIdOf(token), staff_id: staff.id, expires_at: new Date(now.getTime() + challengeLifetimeMs) }).execute();
      void reply.setCookie(challengeCookieName, token, { path: '/sign-in', httpOnly: true, sameSite: 'strict', secure: context.secureCookies, maxAge: challengeLifetimeMs / 1000 });
      request.log.info({ staffId: staff.id }, 'password accepted, second factor due');
      return reply.redirect('/sign-in/code', 303);
    }

    await resetFailedSignIns(context, staff.id);
    return beginSession(request, reply, context, staff);
  });

  app.get('/sign-in/code', { config: { public: true } }, async (request, reply) => {
    const challenge = await findChallenge(context, request);
    if (!challenge) return reply.redirect('/sign-in');
    return reply.view('sign-in-code.njk', { pageTitle: 'Enter the code from your authenticator app', fieldErrors: {} }, request);
  });

  app.post('/sign-in/code', { config: { public: true, ...addressLimit } }, async (request, reply) => {
    const now = context.now();
    const challenge = await findChallenge(context, request);
    if (!challenge) {
      return reply.code(400).view('message.njk', {
        pageTitle: 'Your sign-in timed out',
        heading: 'Your sign-in timed out',
        body: `Enter the code within ${challengeLifetimeMs / 60_000} minutes of your password. Sign in again.`,
        link: { href: '/sign-in', text: 'Sign in' },
      }, request);
    }
    const staff = await db
      .selectFrom('staff')
      .select(['id', 'roles', 'totp_secret', 'totp_last_step', 'disabled_at', 'locked_until'])
      .where('id', '=', challenge.staff_id)
      .executeTakeFirstOrThrow();
    if (isLocked(staff.locked_until, now)) return sendLocked(request, reply, staff.locked_until as Date, now);

    const code = textOf(request.body as FormBody, 'code');
    const step = staff.totp_secret !== null && staff.disabled_at === null ? acceptTotpCode(staff.totp_secret, code, now, staff.totp_last_step) : undefined;
    if (step === undefined) {
      request.log.info({ staffId: staff.id }, 'second-factor code rejected');
      const lockedUntil = await countFailedSignIn(context, staff.id, now);
      if (lockedUntil) {
        await db.deleteFrom('sign_in_challenges').where('staff_id', '=', staff.id).execute();
        request.log.warn({ staffId: staff.id, lockedUntil }, 'account locked after failed sign-ins');
        return sendLocked(request, reply, lockedUntil, now);
      }
      const errors = new FormErrors();
      errors.add('code', code === '' ? 'Enter the 6-digit code from your authenticator app' : 'Enter the current 6-digit code from your authenticator app. Each code works once.');
      return reply.code(401).view('sign-in-code.njk', { pageTitle: 'Enter the code from your authenticator app', errors: errors.summary, fieldErrors: errors.byField }, request);
    }

    // The step is stored only if it is newer, so two posts of one code cannot both succeed.
    const claimed = await db
      .updateTable('staff')
      .set({ totp_last_step: step, failed_sign_ins: 0, locked_until: null })
      .where('id', '=', staff.id)
      .where((where) => where.or([where('totp_last_step', 'is', null), where('totp_last_step', '<', step)]))
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) return reply.redirect('/sign-in/code', 303);
    await db.deleteFrom('sign_in_challenges').where('id', '=', challenge.id).execute();
    void reply.clearCookie(challengeCookieName, { path: '/sign-in' });
    return beginSession(request, reply, context, staff);
  });

  app.post('/sign-out', { config: { public: true } }, async (request, reply) => {
    const token = request.cookies[sessionCookieName];
    const staff = request.staff;
    if (token) {
      await db.transaction().execute(async (trx) => {
        await endSession(trx, token);
        if (staff) await recordAuditEvent(trx, { actor: staffActor(staff.id), action: 'session.sign-out', entity: 'staff', entityId: staff.id });
      });
      // The database's notice drops the session too, but it may come after the next request.
      context.sessions.forget(sessionIdOf(token));
    }
    void reply.clearCookie(sessionCookieName, { path: '/' });
    return reply.redirect('/sign-in', 303);
  });
}

async function beginSession(request: FastifyRequest, reply: FastifyReply, context: RouteContext, staff: { id: number; roles: string[] }): Promise<FastifyReply> {
  // A new token on every sign-in, and the old one ended, so a token planted before sign-in is useless.
  const previous = request.cookies[sessionCookieName];
  const token = await context.db.transaction().execute(async (trx) => {
    if (previous) await endSession(trx, previous);
    const started = await startSession(trx, staff.id, context.now());
    await recordAuditEvent(trx, { actor: staffActor(staff.id), action: 'session.sign-in', entity: 'staff', entityId: staff.id });
    return started;
  });
  if (previous) context.sessions.forget(sessionIdOf(previous));
  setSessionCookie(reply, token, context.secureCookies);
  request.log.info({ staffId: staff.id }, 'signed in');
  return reply.redirect(homePathFor(staff), 303);
}

function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && new Date(lockedUntil).getTime() > now.getTime();
}

/**
 * Adds one failed sign-in to the account. When the count reaches the limit, the account
 * is locked for the configured period and the count starts again. Returns the lock's end
 * when this failure locked the account.
 */
async function countFailedSignIn(context: RouteContext, staffId: number, now: Date): Promise<Date | undefined> {
  const { settings } = context;
  return context.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('staff')
      .set((eb) => ({ failed_sign_ins: eb('failed_sign_ins', '+', 1) }))
      .where('id', '=', staffId)
      .returning('failed_sign_ins')
      .executeTakeFirstOrThrow();
    if (row.failed_sign_ins < settings.failedSignInsBeforeLock) return undefined;
    const lockedUntil = new Date(now.getTime() + settings.accountLockMinutes * 60_000);
    await trx.updateTable('staff').set({ failed_sign_ins: 0, locked_until: lockedUntil }).where('id', '=', staffId).execute();
    return lockedUntil;
  });
}

async function resetFailedSignIns(context: RouteContext, staffId: number): Promise<void> {
  await context.db.updateTable('staff').set({ failed_sign_ins: 0, locked_until: null }).where('id', '=', staffId).execute();
}

/** Sends 429 for a locked account, with the seconds left in Retry-After. */
async function sendLocked(request: FastifyRequest, reply: FastifyReply, lockedUntil: Date, now: Date): Promise<FastifyReply> {
  const seconds = Math.max(1, Math.ceil((new Date(lockedUntil).getTime() - now.getTime()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  void reply.header('retry-after', String(seconds));
  return reply.code(429).view('message.njk', {
    pageTitle: 'Too many failed sign-ins',
    heading: 'Too many failed sign-ins',
    body: `This account is locked for ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} after too many failed sign-ins. Try again after that, or ask an administrator if you have forgotten your password.`,
  }, request);
}

async function findChallenge(context: RouteContext, request: FastifyRequest): Promise<{ id: string; staff_id: number } | undefined> {
  const token = request.cookies[challengeCookieName];
  if (!token) return undefined;
  const row = await context.db.selectFrom('sign_in_challenges').select(['id', 'staff_id', 'expires_at']).where('id', '=', sessionIdOf(token)).executeTakeFirst();
  if (!row || new Date(row.expires_at).getTime() <= context.now().getTime()) return undefined;
  return row;
}
