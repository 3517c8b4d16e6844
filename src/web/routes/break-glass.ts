import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decideClientAccess } from '../data/access.js';
import { grantBreakGlass, listBreakGlassGrantsForTeams } from '../data/break-glass-grants.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { staffOf } from '../request-context.js';
import type { RouteContext } from './route-context.js';

type ClientParams = { Params: { id: string } };

/** Maximum length of a reason in characters, so one grant cannot fill the review page. */
const reasonMaxLength = 1000;

/** Grants listed on the review page, newest first. */
export const breakGlassReviewLimit = 200;

/**
 * Renders the break-glass form for a client outside the staff member's scope. Shown with
 * status 403 wherever such a client is asked for, and at `/clients/:id/break-glass`.
 */
export async function renderBreakGlassForm(context: RouteContext, request: FastifyRequest, reply: FastifyReply, clientId: number, values: { reason: string }, errors?: FormErrors): Promise<FastifyReply> {
  // On its own page the form is the expected response. Elsewhere it replaces the page asked for.
  let status = request.routeOptions.url === '/clients/:id/break-glass' ? 200 : 403;
  if (errors?.any) status = 400;
  return reply.code(status).view('break-glass-form.njk', {
    pageTitle: 'This client is not in your teams’ caseload',
    clientId,
    values,
    minutes: context.settings.breakGlassMinutes,
    minLength: context.settings.breakGlassReasonMinLength,
    errors: errors?.summary,
    fieldErrors: errors?.byField ?? {},
  }, request);
}

/** Break-glass pages: ask for a reason and grant time-limited access, and list grants for review. */
export function registerBreakGlassRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db, settings } = context;

  app.get<ClientParams>('/clients/:id/break-glass', { config: { permission: 'break-glass:use' } }, async (request, reply) => {
    const access = await decideClientAccess(db, staffOf(request), Number(request.params.id), 'view');
    if (access.outcome === 'not-found') return reply.callNotFound();
    if (access.outcome === 'granted') return reply.redirect(`/clients/${access.client.id}`, 303);
    return renderBreakGlassForm(context, request, reply, access.clientId, { reason: '' });
  });

  app.post<ClientParams>('/clients/:id/break-glass', { config: { permission: 'break-glass:use' } }, async (request, reply) => {
    const staff = staffOf(request);
    const access = await decideClientAccess(db, staff, Number(request.params.id), 'view');
    if (access.outcome === 'not-found') return reply.callNotFound();
    if (access.outcome === 'granted') return reply.redirect(`/clients/${access.client.id}`, 303);

    const reason = textOf(request.body as FormBody, 'reason');
    const errors = checkReason(reason, settings.breakGlassReasonMinLength);
    if (errors.any) return renderBreakGlassForm(context, request, reply, access.clientId, { reason }, errors);

    const grantId = await grantBreakGlass(db, { staffId: staff.id, clientId: access.clientId, reason, minutes: settings.breakGlassMinutes });
    // The reason stays out of the log: it may describe the client.
    request.log.info({ staffId: staff.id, clientId: access.clientId, grantId, minutes: settings.breakGlassMinutes }, 'break-glass access granted');
    return reply.redirect(`/clients/${access.clientId}`, 303);
  });

  app.get('/break-glass', { config: { permission: 'break-glass:review' } }, async (request, reply) => {
    const staff = staffOf(request);
    const grants = await listBreakGlassGrantsForTeams(db, staff.organisationId, staff.teamIds, breakGlassReviewLimit);
    const now = Date.now();
    return reply.view('break-glass-review.njk', {
      pageTitle: 'Break-glass and correction access to your teams’ clients',
      limit: breakGlassReviewLimit,
      grants: grants.map((grant) => ({
        ...grant,
        grantedAt: formatDateTime(grant.grantedAt),
        expiresAt: formatDateTime(grant.expiresAt),
        live: grant.expiresAt.getTime() > now,
      })),
    }, request);
  });
}

function checkReason(reason: string, minLength: number): FormErrors {
  const errors = new FormErrors();
  if (reason === '') errors.add('reason', 'Enter why you need to open this client’s record');
  else if (reason.length < minLength) errors.add('reason', `The reason must be at least ${minLength} characters: say why you need this record now`);
  else if (reason.length > reasonMaxLength) errors.add('reason', `The reason must be ${reasonMaxLength} characters or fewer`);
  return errors;
}

/** Formats an instant in UK time, for example `4 Dec 2026, 22:30`. */
export function formatDateTime(instant: Date): string {
  return instant.toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });
}
