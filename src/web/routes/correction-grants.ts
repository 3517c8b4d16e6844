import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decideClientAccess } from '../data/access.js';
import { grantCorrection } from '../data/break-glass-grants.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { staffOf } from '../request-context.js';
import type { Permission } from '../security/permissions.js';
import type { RouteContext } from './route-context.js';

type ClientParams = { Params: { id: string } };

/**
 * The permission of the edit forms a correction grant opens: staff who edit clients, and
 * data officers, whose roles edit no client, so without a grant they reach only the
 * correction form.
 */
export const correctablePermission = ['client:edit', 'record:correct'] as const satisfies readonly Permission[];

/** Maximum length of a reason in characters, as for break-glass, so one grant cannot fill the review page. */
const reasonMaxLength = 1000;

/**
 * Pages a correction grant may lead on to: an edit form, optionally at a field's input.
 * Any other `next` value goes to the client record, so the form cannot redirect off the site.
 */
const nextPathPattern = /^\/(?:clients|episodes|interventions|reviews)\/\d{1,9}\/edit(?:#[A-Za-z][A-Za-z0-9-]*)?$/;

/** Returns `next` when it names an edit form, or the client record otherwise. */
export function nextPathOf(next: string, clientId: number): string {
  return nextPathPattern.test(next) ? next : `/clients/${clientId}`;
}

/**
 * Renders the form on which a data officer requests a correction grant with a reason.
 * Shown with status 403 in place of an edit form the data officer cannot open yet, and at
 * `/clients/:id/correction`, which month-end finding links lead to.
 */
export async function renderCorrectionForm(context: RouteContext, request: FastifyRequest, reply: FastifyReply, clientId: number, values: { reason: string; next: string }, errors?: FormErrors): Promise<FastifyReply> {
  let status = request.routeOptions.url === '/clients/:id/correction' ? 200 : 403;
  if (errors?.any) status = 400;
  return reply.code(status).view('correction-grant-form.njk', {
    pageTitle: 'Ask to correct this client’s record',
    clientId,
    values: { reason: values.reason, next: nextPathOf(values.next, clientId) },
    minutes: context.settings.correctionGrantMinutes,
    minLength: context.settings.correctionReasonMinLength,
    errors: errors?.summary,
    fieldErrors: errors?.byField ?? {},
  }, request);
}

/** Correction grant pages: ask for a reason, then grant a data officer time-limited edit access. */
export function registerCorrectionGrantRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db, settings } = context;

  app.get<ClientParams>('/clients/:id/correction', { config: { permission: 'record:correct' } }, async (request, reply) => {
    const next = textOf(request.query as FormBody, 'next');
    const access = await decideClientAccess(db, staffOf(request), Number(request.params.id), 'edit');
    if (access.outcome === 'granted') return reply.redirect(nextPathOf(next, access.client.id), 303);
    // Only a client the data officer may view can be corrected, so any other is "not found".
    if (access.outcome === 'not-found' || !access.viewable) return reply.callNotFound();
    return renderCorrectionForm(context, request, reply, access.clientId, { reason: '', next });
  });

  app.post<ClientParams>('/clients/:id/correction', { config: { permission: 'record:correct' } }, async (request, reply) => {
    const staff = staffOf(request);
    const body = request.body as FormBody;
    const next = textOf(body, 'next');
    const access = await decideClientAccess(db, staff, Number(request.params.id), 'edit');
    if (access.outcome === 'granted') return reply.redirect(nextPathOf(next, access.client.id), 303);
    if (access.outcome === 'not-found' || !access.viewable) return reply.callNotFound();

    const reason = textOf(body, 'reason');
    const errors = checkReason(reason, settings.correctionReasonMinLength);
    if (errors.any) return renderCorrectionForm(context, request, reply, access.clientId, { reason, next }, errors);

    const grantId = await grantCorrection(db, { staffId: staff.id, clientId: access.clientId, reason, minutes: settings.correctionGrantMinutes });
    // The reason stays out of the log: it may describe the client.
    request.log.info({ staffId: staff.id, clientId: access.clientId, grantId, minutes: settings.correctionGrantMinutes }, 'correction grant given');
    return reply.redirect(nextPathOf(next, access.clientId), 303);
  });
}

function checkReason(reason: string, minLength: number): FormErrors {
  const errors = new FormErrors();
  if (reason === '') errors.add('reason', 'Enter what you need to correct and why');
  else if (reason.length < minLength) errors.add('reason', `The reason must be at least ${minLength} characters: say which finding you are correcting`);
  else if (reason.length > reasonMaxLength) errors.add('reason', `The reason must be ${reasonMaxLength} characters or fewer`);
  return errors;
}
