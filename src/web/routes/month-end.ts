import type { Logger } from 'pino';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInEngland } from '../../domain/plain-date.js';
import { formatReportingPeriod, parseReportingPeriod, type ReportingPeriod } from '../../domain/reporting-period.js';
import { checkPeriod } from '../../month-end/check.js';
import { confirmWarnings, withConfirmations } from '../../month-end/confirmations.js';
import { lastCompleteMonth, unsubmittableReason } from '../../month-end/submission-period.js';
import { generateSubmission, SubmissionRejectedError } from '../../month-end/submissions.js';
import { defaultThresholds } from '../../rules/thresholds.js';
import { agenciesFor } from '../data/access.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, listOf, textOf } from '../forms/form-errors.js';
import { staffOf } from '../request-context.js';
import { recordLinkModeOf } from './month-end-links.js';
import { checkPageView, findingKeyOf } from './month-end-view.js';
import type { RouteContext } from './route-context.js';

type Agency = { id: number; code: string; name: string };

/** The agency and month a month-end page is about, or the form errors that stop it. */
interface MonthChoice {
  agencies: Agency[];
  agency?: Agency;
  period?: ReportingPeriod;
  periodText: string;
  errors: FormErrors;
}

/**
 * Reads the agency and reporting month from a query or form. An absent agency means the
 * staff member's first agency, and an absent month the last complete month in England.
 */
export async function chooseMonth(context: RouteContext, request: FastifyRequest, fields: FormBody): Promise<MonthChoice> {
  const agencies = await agenciesFor(context.db, staffOf(request));
  const errors = new FormErrors();
  const agencyCode = textOf(fields, 'agency');
  const agency = agencyCode === '' ? agencies[0] : agencies.find((item) => item.code === agencyCode);
  if (!agency) errors.add('agency', agencies.length === 0 ? 'You have no agency to submit for. Ask an administrator to add you to a team.' : `Agency ${agencyCode} is not one of yours. Select an agency from the list.`);

  const periodText = textOf(fields, 'period') || formatReportingPeriod(lastCompleteMonth(todayInEngland()));
  const period = parseReportingPeriod(periodText);
  if (!period) errors.add('period', `Reporting month "${periodText}" is not valid. Enter it as year and month, such as ${formatReportingPeriod(lastCompleteMonth(todayInEngland()))}.`);
  return { agencies, ...(agency ? { agency } : {}), ...(period ? { period } : {}), periodText, errors };
}

export function registerMonthEndRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;

  async function renderCheck(request: FastifyRequest, reply: FastifyReply, choice: MonthChoice, extra: { errors?: FormErrors; notice?: string } = {}): Promise<FastifyReply> {
    const errors = extra.errors ?? choice.errors;
    const base = {
      pageTitle: 'Month-end check',
      agencies: choice.agencies.map((agency) => ({ value: agency.code, text: `${agency.name} (${agency.code})`, selected: agency.code === choice.agency?.code })),
      periodText: choice.periodText,
      notice: extra.notice,
      errors: errors.any ? errors.summary : undefined,
      fieldErrors: errors.byField,
    };
    if (!choice.agency || !choice.period) return reply.code(400).view('month-end-check.njk', base, request);

    const check = await checkPeriod(db, { agency: choice.agency, period: choice.period, thresholds: defaultThresholds });
    const reviewed = await withConfirmations(db, choice.agency.id, check.findings);
    const view = await checkPageView(db, choice.agency.id, check, reviewed, recordLinkModeOf(staffOf(request).roles));
    const periodProblem = unsubmittableReason(choice.period, todayInEngland());
    request.log.info({ agency: choice.agency.code, period: check.period, errors: check.errors, warnings: check.warnings, unconfirmed: view.unconfirmed }, 'month-end check shown');
    return reply.code(errors.any ? 400 : 200).view('month-end-check.njk', {
      ...base,
      agency: choice.agency,
      period: check.period,
      check: { errors: check.errors, warnings: check.warnings },
      ...view,
      periodProblem,
      ready: check.errors === 0 && view.unconfirmed === 0 && periodProblem === undefined,
    }, request);
  }

  app.get('/month-end', { config: { permission: 'month-end:manage' } }, async (request, reply) => {
    const query = request.query as FormBody;
    const choice = await chooseMonth(context, request, query);
    const confirmed = Number(textOf(query, 'confirmed'));
    const notice = Number.isSafeInteger(confirmed) && confirmed > 0 ? `${confirmed} ${confirmed === 1 ? 'warning' : 'warnings'} confirmed.` : undefined;
    return renderCheck(request, reply, choice, notice ? { notice } : {});
  });

  app.post('/month-end/confirm', { config: { permission: 'month-end:manage' } }, async (request, reply) => {
    const staff = staffOf(request);
    const body = request.body as FormBody;
    const choice = await chooseMonth(context, request, body);
    if (!choice.agency || !choice.period) return renderCheck(request, reply, choice);

    // The check runs again so that only warnings still present, with their current values, are confirmed.
    const check = await checkPeriod(db, { agency: choice.agency, period: choice.period, thresholds: defaultThresholds });
    const reviewed = await withConfirmations(db, choice.agency.id, check.findings);
    const open = reviewed.filter((finding) => finding.severity === 'warning' && !finding.confirmation);
    const rule = textOf(body, 'rule');
    const selected = new Set(listOf(body, 'warnings'));
    const chosen = rule === '' ? open.filter((finding) => selected.has(findingKeyOf(finding))) : open.filter((finding) => finding.code === rule);
    if (chosen.length === 0) {
      const errors = new FormErrors();
      errors.add('warnings', 'Select at least one warning that is not yet confirmed, or use a "Confirm all" button');
      return renderCheck(request, reply, choice, { errors });
    }

    const count = await confirmWarnings(db, { agencyId: choice.agency.id, actor: `staff:${staff.id}`, warnings: chosen });
    request.log.info({ staffId: staff.id, agency: choice.agency.code, period: check.period, rule: rule || undefined, confirmed: count }, 'warnings confirmed');
    return reply.redirect(`/month-end?agency=${encodeURIComponent(choice.agency.code)}&period=${check.period}&confirmed=${count}#warnings`, 303);
  });

  app.post('/month-end/generate', { config: { permission: 'month-end:manage' } }, async (request, reply) => {
    const staff = staffOf(request);
    const body = request.body as FormBody;
    const choice = await chooseMonth(context, request, body);
    if (!choice.agency || !choice.period) return renderCheck(request, reply, choice);
    // A submission is made only for a month the form names, never for a default the
    // officer did not see, so a stray or replayed post cannot generate one.
    if (textOf(body, 'agency') === '' || textOf(body, 'period') === '') {
      const errors = new FormErrors();
      errors.add('generate', 'Choose the agency and reporting month on the check page, then generate the submission from there');
      return renderCheck(request, reply, choice, { errors });
    }
    try {
      const id = await generateSubmission(db, {
        agency: choice.agency,
        period: choice.period,
        actor: `staff:${staff.id}`,
        today: todayInEngland(),
        thresholds: defaultThresholds,
        logger: request.log as unknown as Logger,
      });
      request.log.info({ staffId: staff.id, agency: choice.agency.code, submissionId: id }, 'submission generated');
      return reply.redirect(`/month-end/submissions/${id}?notice=generated`, 303);
    } catch (error) {
      if (!(error instanceof SubmissionRejectedError)) throw error;
      request.log.info({ staffId: staff.id, agency: choice.agency.code }, 'submission rejected');
      const errors = new FormErrors();
      errors.add('generate', error.message);
      return renderCheck(request, reply, choice, { errors });
    }
  });
}
