import type { Logger } from 'pino';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInEngland } from '../../domain/plain-date.js';
import { formatReportingPeriod, parseReportingPeriod, type ReportingPeriod } from '../../domain/reporting-period.js';
import { checkPeriod } from '../../month-end/check.js';
import { confirmWarnings, withConfirmations } from '../../month-end/confirmations.js';
import { agencyPeriodProblem, lastCompleteMonth } from '../../month-end/submission-period.js';
import { listSubmissions } from '../../month-end/submission-records.js';
import { generateSubmission, recordCheck, SubmissionRejectedError, type GenerateOptions } from '../../month-end/submissions.js';
import { defaultThresholds } from '../../rules/thresholds.js';
import { agenciesFor } from '../data/access.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, listOf, textOf } from '../forms/form-errors.js';
import { hasUnprintable, printableText } from '../forms/printable.js';
import { staffOf } from '../request-context.js';
import { recordLinkModeOf } from './month-end-links.js';
import { actorNames, checkPageView, findingKeyOf, formatInstant } from './month-end-view.js';
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
  const agencyName = hasUnprintable(agencyCode) ? 'The agency you entered' : `Agency ${agencyCode}`;
  if (!agency) errors.add('agency', agencies.length === 0 ? 'You have no agency to submit for. Ask an administrator to add you to a team.' : `${agencyName} is not one of yours. Select an agency from the list.`);

  const example = formatReportingPeriod(lastCompleteMonth(todayInEngland()));
  const typedPeriod = textOf(fields, 'period') || example;
  const period = parseReportingPeriod(typedPeriod);
  // The form shows the typed month again, without the characters a page cannot show.
  const periodText = printableText(typedPeriod);
  if (!period && hasUnprintable(typedPeriod)) {
    errors.add('period', `The reporting month you entered is not valid because it contains characters that cannot be shown. Enter it as year and month, such as ${example}.`);
  } else if (!period) {
    errors.add('period', `Reporting month "${periodText}" is not valid. Enter it as year and month, such as ${example}.`);
  }
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
    const periodProblem = await agencyPeriodProblem(db, choice.agency, choice.period, todayInEngland());
    const recordedCheck = await recordedCheckOf(choice.agency.id, check.period);
    request.log.info({ agency: choice.agency.code, period: check.period, errors: check.errors, warnings: check.warnings, unconfirmed: view.unconfirmed }, 'month-end check shown');
    return reply.code(errors.any ? 400 : 200).view('month-end-check.njk', {
      ...base,
      agency: choice.agency,
      period: check.period,
      check: { errors: check.errors, warnings: check.warnings },
      ...view,
      periodProblem,
      recordedCheck,
      ready: check.errors === 0 && view.unconfirmed === 0 && periodProblem === undefined,
    }, request);
  }

  /** Describes the month's check waiting for generation, such as "5 December 2026 at 01:03 by Kim Data Officer". */
  async function recordedCheckOf(agencyId: number, period: string): Promise<string | undefined> {
    const waiting = (await listSubmissions(db, agencyId, period)).find((item) => item.status === 'checked');
    if (!waiting?.checkedAt) return undefined;
    const names = await actorNames(db, [waiting.checkedBy]);
    return `${formatInstant(waiting.checkedAt)} by ${names.get(waiting.checkedBy ?? '') ?? waiting.checkedBy ?? ''}`;
  }

  /**
   * Reads the agency and month a record-check or generate form posts. When they are missing
   * or invalid, renders the check page with the error and returns undefined. Errors of both
   * forms link to the page's Submission heading (`#generate`).
   */
  async function postedMonth(request: FastifyRequest, reply: FastifyReply, step: 'record the check' | 'generate the submission'): Promise<{ choice: MonthChoice; options: GenerateOptions } | undefined> {
    const body = request.body as FormBody;
    const choice = await chooseMonth(context, request, body);
    if (!choice.agency || !choice.period) {
      await renderCheck(request, reply, choice);
      return undefined;
    }
    // A submission is made only for a month the form names, never for a default the
    // officer did not see, so a stray or replayed post cannot store one.
    if (textOf(body, 'agency') === '' || textOf(body, 'period') === '') {
      const errors = new FormErrors();
      errors.add('generate', `Choose the agency and reporting month on the check page, then ${step} from there`);
      await renderCheck(request, reply, choice, { errors });
      return undefined;
    }
    const options: GenerateOptions = {
      agency: choice.agency,
      period: choice.period,
      actor: `staff:${staffOf(request).id}`,
      today: todayInEngland(),
      thresholds: defaultThresholds,
      logger: request.log as unknown as Logger,
    };
    return { choice, options };
  }

  app.get('/month-end', { config: { permission: 'month-end:manage' } }, async (request, reply) => {
    const query = request.query as FormBody;
    const choice = await chooseMonth(context, request, query);
    const confirmed = Number(textOf(query, 'confirmed'));
    const recorded = textOf(query, 'recorded') === 'yes' ? 'Check recorded. When you generate the submission, the check runs again first.' : undefined;
    const notice = Number.isSafeInteger(confirmed) && confirmed > 0 ? `${confirmed} ${confirmed === 1 ? 'warning' : 'warnings'} confirmed.` : recorded;
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

  app.post('/month-end/record-check', { config: { permission: 'month-end:manage' } }, async (request, reply) => {
    const posted = await postedMonth(request, reply, 'record the check');
    if (!posted) return reply;
    const { choice, options } = posted;
    const staff = staffOf(request);
    try {
      const id = await recordCheck(db, options);
      request.log.info({ staffId: staff.id, agency: options.agency.code, submissionId: id }, 'month-end check recorded');
      return reply.redirect(`/month-end?agency=${encodeURIComponent(options.agency.code)}&period=${formatReportingPeriod(options.period)}&recorded=yes#generate`, 303);
    } catch (error) {
      if (!(error instanceof SubmissionRejectedError)) throw error;
      request.log.info({ staffId: staff.id, agency: options.agency.code, reason: error.reason }, 'month-end check not recorded');
      const errors = new FormErrors();
      errors.add('generate', error.message);
      return renderCheck(request, reply, choice, { errors });
    }
  });

  app.post('/month-end/generate', { config: { permission: 'month-end:manage' } }, async (request, reply) => {
    const posted = await postedMonth(request, reply, 'generate the submission');
    if (!posted) return reply;
    const { choice, options } = posted;
    const staff = staffOf(request);
    try {
      const id = await generateSubmission(db, options);
      request.log.info({ staffId: staff.id, agency: options.agency.code, submissionId: id }, 'submission generated');
      return reply.redirect(`/month-end/submissions/${id}?notice=generated`, 303);
    } catch (error) {
      if (!(error instanceof SubmissionRejectedError)) throw error;
      request.log.info({ staffId: staff.id, agency: options.agency.code, reason: error.reason }, 'submission rejected');
      const errors = new FormErrors();
      errors.add('generate', error.message);
      return renderCheck(request, reply, choice, { errors });
    }
  });
}
