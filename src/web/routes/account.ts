import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAuditEvent } from '../../db/audit.js';
import { hashPassword, passwordProblem, verifyPassword } from '../accounts/passwords.js';
import { staffRoles } from '../accounts/roles.js';
import { acceptTotpCode, createTotpSecret, groupedSecret, totpQrCodeSvg, totpUri } from '../accounts/second-factor.js';
import { endAllSessions, setSessionCookie, startSession } from '../accounts/sessions.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { staffOf } from '../request-context.js';
import type { RouteContext } from './route-context.js';

const notices: Record<string, string> = {
  'password-changed': 'Password changed. You have been signed out on every other device.',
  'second-factor-set': 'Authenticator app set up. Sign-in will ask for a code from it.',
};

/** Registers the pages of one's own account: details, password change and TOTP second-factor set-up. */
export function registerAccountRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;
  const permission = { permission: 'account:self' as const };

  app.get('/account', { config: permission }, async (request, reply) => {
    const staff = staffOf(request);
    const roleLabels = new Map<string, string>(staffRoles.map((role) => [role.value, role.label]));
    const key = (request.query as Record<string, string | undefined>)['notice'];
    return reply.view('account.njk', {
      pageTitle: 'Your account',
      roleNames: staff.roles.map((role) => roleLabels.get(role) ?? role).join(', '),
      secondFactorRequired: staff.roles.includes('administrator'),
      notice: key ? notices[key] : undefined,
    }, request);
  });

  app.get('/account/password', { config: permission }, async (request, reply) => {
    return reply.view('account-password.njk', { pageTitle: 'Change your password', fieldErrors: {} }, request);
  });

  app.post('/account/password', { config: permission }, async (request, reply) => {
    const staff = staffOf(request);
    const body = request.body as FormBody;
    // Passwords keep their spaces, so they are read without trimming.
    const currentPassword = typeof body['currentPassword'] === 'string' ? body['currentPassword'] : '';
    const newPassword = typeof body['newPassword'] === 'string' ? body['newPassword'] : '';

    const row = await db.selectFrom('staff').select(['password_hash', 'version']).where('id', '=', staff.id).executeTakeFirstOrThrow();
    const errors = new FormErrors();
    if (currentPassword === '') errors.add('currentPassword', 'Enter your current password');
    else if (!row.password_hash || !(await verifyPassword(row.password_hash, currentPassword))) errors.add('currentPassword', 'Your current password is not correct. Enter the password you signed in with.');
    const problem = passwordProblem(newPassword, staff.email);
    if (problem) errors.add('newPassword', problem);
    else if (newPassword === currentPassword) errors.add('newPassword', 'Enter a new password that is different from your current one');
    if (errors.any) {
      request.log.info({ staffId: staff.id }, 'password change rejected');
      return reply.code(400).view('account-password.njk', { pageTitle: 'Change your password', errors: errors.summary, fieldErrors: errors.byField }, request);
    }

    const passwordHash = await hashPassword(newPassword);
    const ended = await db.transaction().execute(async (trx) => {
      await trx.updateTable('staff').set({ password_hash: passwordHash, version: row.version + 1 }).where('id', '=', staff.id).execute();
      await recordAuditEvent(trx, { actor: `staff:${staff.id}`, action: 'account.password-change', entity: 'staff', entityId: staff.id });
      // Someone who learnt the old password may hold a session, so every session ends.
      return endAllSessions(trx, staff.id);
    });
    const token = await startSession(db, staff.id, context.now());
    setSessionCookie(reply, token, context.secureCookies);
    request.log.info({ staffId: staff.id, sessionsEnded: ended }, 'password changed');
    return reply.redirect('/account?notice=password-changed', 303);
  });

  app.get('/account/second-factor', { config: permission }, async (request, reply) => {
    const staff = staffOf(request);
    const row = await db.selectFrom('staff').select(['totp_pending_secret']).where('id', '=', staff.id).executeTakeFirstOrThrow();
    if (staff.hasSecondFactor && row.totp_pending_secret === null) {
      return reply.view('account-second-factor.njk', { pageTitle: 'Authenticator app', configured: true }, request);
    }
    // The same secret is shown until it is confirmed, so reloading the page does not
    // invalidate an app that has already scanned it.
    const secret = row.totp_pending_secret ?? (await storePendingSecret(context, staff.id));
    return renderSetUp(request, reply, secret);
  });

  app.post('/account/second-factor/replace', { config: permission }, async (request, reply) => {
    await storePendingSecret(context, staffOf(request).id);
    return reply.redirect('/account/second-factor', 303);
  });

  app.post('/account/second-factor', { config: permission }, async (request, reply) => {
    const staff = staffOf(request);
    const row = await db.selectFrom('staff').select(['totp_pending_secret', 'version']).where('id', '=', staff.id).executeTakeFirstOrThrow();
    if (row.totp_pending_secret === null) return reply.redirect('/account/second-factor', 303);

    const code = textOf(request.body as FormBody, 'code');
    const step = acceptTotpCode(row.totp_pending_secret, code, context.now(), null);
    if (step === undefined) {
      const errors = new FormErrors();
      errors.add('code', code === '' ? 'Enter the 6-digit code your authenticator app shows' : `${code} is not the current code for this key. Check the app shows Waymark with your email address, then enter the 6-digit code it shows now.`);
      return renderSetUp(request, reply, row.totp_pending_secret, errors);
    }

    const secret = row.totp_pending_secret;
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('staff')
        .set({ totp_secret: secret, totp_pending_secret: null, totp_last_step: step, version: row.version + 1 })
        .where('id', '=', staff.id)
        .execute();
      await recordAuditEvent(trx, { actor: `staff:${staff.id}`, action: 'account.second-factor-setup', entity: 'staff', entityId: staff.id });
    });
    request.log.info({ staffId: staff.id }, 'second factor set up');
    return reply.redirect('/account?notice=second-factor-set', 303);
  });
}

async function storePendingSecret(context: RouteContext, staffId: number): Promise<string> {
  const secret = createTotpSecret();
  await context.db.updateTable('staff').set({ totp_pending_secret: secret }).where('id', '=', staffId).execute();
  return secret;
}

async function renderSetUp(request: FastifyRequest, reply: FastifyReply, secret: string, errors?: FormErrors): Promise<FastifyReply> {
  const staff = staffOf(request);
  return reply.code(errors?.any ? 400 : 200).view('account-second-factor.njk', {
    pageTitle: 'Set up an authenticator app',
    configured: false,
    required: staff.roles.includes('administrator') && !staff.hasSecondFactor,
    secret: groupedSecret(secret),
    qrCode: totpQrCodeSvg(totpUri(secret, staff.email)),
    errors: errors?.summary,
    fieldErrors: errors?.byField ?? {},
  }, request);
}
