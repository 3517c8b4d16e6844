import { parse } from 'csv-parse/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cdsQDataset } from '../../dataset/index.js';
import type { Entity } from '../../domain/model.js';
import { parseReportingPeriod } from '../../domain/reporting-period.js';
import type { CellSource } from '../../file/writer.js';
import { explainFileLine } from '../../month-end/file-rows.js';
import { findRecordIds, recordLookupKey } from '../../month-end/record-ids.js';
import { findSubmission, listSubmissions, manifestText, readSubmissionFile, type SubmissionSummary } from '../../month-end/submission-records.js';
import { markSubmissionSent, SubmissionRejectedError } from '../../month-end/submissions.js';
import { agenciesFor } from '../data/access.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { staffOf } from '../request-context.js';
import { recordLinkModeOf, recordLinkOf, type RecordLink, type RecordLinkMode } from './month-end-links.js';
import { actorNames, formatInstant, valueLabelOf } from './month-end-view.js';
import type { RouteContext } from './route-context.js';

type IdParams = { Params: { id: string } };

const statusTags: Record<string, { text: string; colour: string }> = {
  checked: { text: 'Checked', colour: 'aqua-green' },
  generated: { text: 'Generated', colour: 'blue' },
  sent: { text: 'Sent', colour: 'green' },
  superseded: { text: 'Superseded', colour: 'grey' },
};

const entityNames: Record<Entity, string> = { client: 'client', episode: 'episode', intervention: 'intervention', review: 'review' };

export function registerMonthEndSubmissionRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;

  /** Finds a submission of one of the staff member's agencies, with the agency's code. */
  async function accessibleSubmission(request: FastifyRequest, id: number): Promise<(SubmissionSummary & { agencyCode: string }) | undefined> {
    const submission = await findSubmission(db, id);
    if (!submission) return undefined;
    const agency = (await agenciesFor(db, staffOf(request))).find((item) => item.id === submission.agencyId);
    return agency ? { ...submission, agencyCode: agency.code } : undefined;
  }

  async function submissionView(submissions: SubmissionSummary[]) {
    const names = await actorNames(db, submissions.flatMap((item) => [item.createdBy, item.checkedBy, item.generatedBy, item.sentBy, item.supersededBy]));
    const nameOf = (actor: string | null): string => (actor ? (names.get(actor) ?? actor) : '');
    return submissions.map((item) => ({
      ...item,
      tag: statusTags[item.status] ?? { text: item.status, colour: 'grey' },
      generated: item.generatedAt ? `${formatInstant(item.generatedAt)} by ${nameOf(item.generatedBy)}` : '',
      checked: item.checkedAt ? `${formatInstant(item.checkedAt)} by ${nameOf(item.checkedBy)}` : '',
      sent: item.sentAt ? `${formatInstant(item.sentAt)} by ${nameOf(item.sentBy)}` : '',
      superseded: item.supersededAt ? `${formatInstant(item.supersededAt)} by ${nameOf(item.supersededBy)}` : '',
      rows: item.rowCounts?.['total'],
      warnings: Object.values(item.findingsByRule).reduce((sum, count) => sum + count, 0),
    }));
  }

  app.get('/month-end/submissions', { config: { permission: 'month-end:manage' } }, async (request, reply) => {
    const agencies = await agenciesFor(db, staffOf(request));
    const code = textOf(request.query as FormBody, 'agency');
    const agency = code === '' ? agencies[0] : agencies.find((item) => item.code === code);
    if (!agency) {
      const errors = new FormErrors();
      errors.add('agency', agencies.length === 0 ? 'You have no agency to submit for. Ask an administrator to add you to a team.' : `Agency ${code} is not one of yours. Select an agency from the list.`);
      return reply.code(400).view('month-end-history.njk', { pageTitle: 'Submission history', agencies: agencyItems(agencies, code), errors: errors.summary, fieldErrors: errors.byField }, request);
    }
    return reply.view('month-end-history.njk', {
      pageTitle: 'Submission history',
      agency,
      agencies: agencyItems(agencies, agency.code),
      submissions: await submissionView(await listSubmissions(db, agency.id)),
    }, request);
  });

  async function renderSubmission(request: FastifyRequest, reply: FastifyReply, submission: SubmissionSummary & { agencyCode: string }, extra: { errors?: FormErrors; notice?: string } = {}): Promise<FastifyReply> {
    const [view] = await submissionView([submission]);
    return reply.code(extra.errors?.any ? 400 : 200).view('month-end-submission.njk', {
      pageTitle: `Submission ${submission.fileName}`,
      submission: view,
      agencyCode: submission.agencyCode,
      columns: cdsQDataset.header,
      notice: extra.notice,
      errors: extra.errors?.any ? extra.errors.summary : undefined,
      fieldErrors: extra.errors?.byField ?? {},
    }, request);
  }

  app.get<IdParams>('/month-end/submissions/:id', { config: { permission: 'month-end:manage' } }, async (request, reply) => {
    const submission = await accessibleSubmission(request, Number(request.params.id));
    if (!submission) return reply.callNotFound();
    const notices: Record<string, string> = { generated: 'Submission generated. Download the file, send it to NDTMS, then mark it as sent.', sent: 'Marked as sent.' };
    const notice = notices[textOf(request.query as FormBody, 'notice')];
    return renderSubmission(request, reply, submission, notice ? { notice } : {});
  });

  app.get<IdParams>('/month-end/submissions/:id/file', { config: { permission: 'month-end:manage' } }, async (request, reply) => {
    const submission = await accessibleSubmission(request, Number(request.params.id));
    const stored = submission ? await readSubmissionFile(db, submission.id) : undefined;
    if (!submission || !stored) return reply.callNotFound();
    request.log.info({ staffId: staffOf(request).id, submissionId: submission.id }, 'submission file downloaded');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${submission.fileName}"`)
      .send(Buffer.from(stored.file));
  });

  app.get<IdParams>('/month-end/submissions/:id/manifest', { config: { permission: 'month-end:manage' } }, async (request, reply) => {
    const submission = await accessibleSubmission(request, Number(request.params.id));
    const stored = submission ? await readSubmissionFile(db, submission.id) : undefined;
    if (!submission || !stored?.manifest) return reply.callNotFound();
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${submission.fileName}.manifest.json"`)
      .send(manifestText(stored.manifest));
  });

  app.post<IdParams>('/month-end/submissions/:id/sent', { config: { permission: 'month-end:manage' } }, async (request, reply) => {
    const staff = staffOf(request);
    const submission = await accessibleSubmission(request, Number(request.params.id));
    if (!submission) return reply.callNotFound();
    try {
      await markSubmissionSent(db, { submissionId: submission.id, actor: `staff:${staff.id}` });
    } catch (error) {
      if (!(error instanceof SubmissionRejectedError)) throw error;
      const errors = new FormErrors();
      errors.add('mark-sent', error.message);
      return renderSubmission(request, reply, submission, { errors });
    }
    request.log.info({ staffId: staff.id, submissionId: submission.id }, 'submission marked as sent');
    return reply.redirect(`/month-end/submissions/${submission.id}?notice=sent`, 303);
  });

  app.get<IdParams>('/month-end/submissions/:id/row', { config: { permission: 'month-end:manage' } }, async (request, reply) => {
    const submission = await accessibleSubmission(request, Number(request.params.id));
    // A checked submission has no file yet, so it has no lines to explain.
    if (!submission?.rowCounts) return reply.callNotFound();
    const query = request.query as FormBody;
    const lineText = textOf(query, 'line');
    const column = textOf(query, 'column');
    const lastLine = (submission.rowCounts['total'] ?? 0) + 1;
    const line = Number(lineText);

    const errors = new FormErrors();
    if (!/^\d+$/.test(lineText) || line < 2 || line > lastLine) errors.add('line', `Line "${lineText}" is not a data row of this file. Enter a line from 2 to ${lastLine}; line 1 is the header.`);
    if (column !== '' && !cdsQDataset.header.includes(column)) errors.add('column', `Column "${column}" is not in the CDS-Q file. Select a column from the list.`);
    if (errors.any) return renderSubmission(request, reply, submission, { errors });

    const period = parseReportingPeriod(submission.period);
    const stored = await readSubmissionFile(db, submission.id);
    const row = period ? await explainFileLine(db, { id: submission.agencyId, code: submission.agencyCode }, period, line) : undefined;
    const storedCells = stored ? storedLine(stored.file, line) : [];
    const links = row ? await cellLinks(row.cells.map((cell) => cell.source), submission.agencyId, recordLinkModeOf(staffOf(request).roles)) : new Map<string, RecordLink>();

    const cells = cdsQDataset.header.map((name, index) => {
      const cell = row?.cells[index];
      const storedValue = storedCells[index] ?? '';
      return {
        column: name,
        label: cell?.label ?? '',
        storedValue,
        valueLabel: valueLabelOf(name, storedValue),
        changed: cell !== undefined && cell.value !== storedValue,
        explanation: cell ? explain(cell.source, cell.value) : 'The record behind this row is no longer in the month’s extract.',
        link: cell ? links.get(linkKey(cell.source)) : undefined,
        selected: name === column,
      };
    });
    return reply.view('month-end-row.njk', {
      pageTitle: `Line ${line} of ${submission.fileName}`,
      submission,
      line,
      clientRef: row?.clientRef ?? storedCells[cdsQDataset.header.indexOf(cdsQDataset.columnOf('client', 'clientId'))] ?? '',
      selected: cells.find((cell) => cell.selected),
      cells,
      anyChanged: row === undefined || cells.some((cell) => cell.changed),
    }, request);
  });

  async function cellLinks(sources: CellSource[], agencyId: number, linkMode: RecordLinkMode): Promise<Map<string, RecordLink>> {
    const places = sources.flatMap((source) => placeOf(source) ?? []);
    const ids = await findRecordIds(db, agencyId, places);
    const links = new Map<string, RecordLink>();
    for (const source of sources) {
      const place = placeOf(source);
      const recordIds = place ? ids.get(recordLookupKey(place.entity, place.ref)) : undefined;
      if (place && recordIds) links.set(linkKey(source), recordLinkOf(place.entity, place.column, recordIds, linkMode));
    }
    return links;
  }
}

function agencyItems(agencies: { code: string; name: string }[], selected: string): { value: string; text: string; selected: boolean }[] {
  return agencies.map((agency) => ({ value: agency.code, text: `${agency.name} (${agency.code})`, selected: agency.code === selected }));
}

function placeOf(source: CellSource): { entity: Entity; ref: string; column: string } | undefined {
  if (source.kind === 'field') return { entity: source.entity, ref: source.ref, column: cdsQDataset.columnOf(source.entity, source.property as never) };
  if (source.kind === 'sub-intervention') return { entity: 'review', ref: source.ref, column: '' };
  return undefined;
}

function linkKey(source: CellSource): string {
  const place = placeOf(source);
  return place ? `${place.entity}:${place.ref}:${place.column}` : '';
}

/** Explains in words where a cell's value comes from. */
function explain(source: CellSource, value: string): string {
  switch (source.kind) {
    case 'no-consent':
      return 'Blank because the client has not consented to NDTMS: only the agency, client reference and consent are sent for them.';
    case 'not-on-row':
      return `Blank because this row carries no ${entityNames[source.entity]}: each row holds one intervention or one review of an episode.`;
    case 'sub-intervention':
      return source.delivered ? `Ticked as delivered on review ${source.ref}.` : `Not ticked on review ${source.ref}, so written as not delivered.`;
    case 'field': {
      const where = `${cdsQDataset.field(source.entity, source.property as never).label.toLowerCase()} of ${entityNames[source.entity]} ${source.ref}`;
      const repeated = source.repeated ? ` The ${entityNames[source.entity]}’s fields repeat on each of its rows.` : '';
      if (value === '') return `Empty: the ${where} is not recorded, or is dated after the last day of the month and so left out, as the record stood then.${repeated}`;
      return `From the ${where}.${repeated}`;
    }
  }
}

/** Reads one line of the stored file as its cells. Lines end in CRLF, and field checks keep line breaks out of values. */
function storedLine(file: Uint8Array, line: number): string[] {
  const text = Buffer.from(file).toString('utf8');
  let start = 0;
  for (let current = 1; current < line; current += 1) {
    const next = text.indexOf('\r\n', start);
    if (next < 0) return [];
    start = next + 2;
  }
  const end = text.indexOf('\r\n', start);
  const records = parse(text.slice(start, end < 0 ? undefined : end), { relax_quotes: false }) as string[][];
  return records[0] ?? [];
}
