import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignedInStaff } from '../accounts/sessions.js';
import { agenciesFor, reachOf } from '../data/access.js';
import type { WebDatabase } from '../data/tables.js';

// Which records the report and data-quality pages count for a member of staff. Data
// officers (whose roles reach whole agencies) count every client of the chosen agency. Team leaders
// count the clients placed in their own teams, so their figures match their teams' work.

export interface ReportAgency {
  id: number;
  code: string;
  name: string;
}

/** The agency a page counts, chosen from the agencies the staff member reaches. */
export interface AgencyChoice {
  agencies: ReportAgency[];
  /** Undefined when the staff member reaches no agency, or asked for one they do not reach. */
  agency: ReportAgency | undefined;
}

/**
 * Picks the agency named by the `agency` query value (an internal id), or the first agency
 * the staff member reaches when none is named. An id outside their reach picks nothing, so
 * the page cannot tell "not yours" from "not there".
 */
export async function chooseAgency(db: WebDatabase, staff: SignedInStaff, requested: string): Promise<AgencyChoice> {
  const agencies = await agenciesFor(db, staff);
  if (requested === '') return { agencies, agency: agencies[0] };
  return { agencies, agency: agencies.find((agency) => String(agency.id) === requested) };
}

/** Tells whether the staff member's figures cover the whole agency rather than their teams. */
export function countsWholeAgency(staff: SignedInStaff): boolean {
  return reachOf(staff, 'view') === 'agencies';
}

/** Lists the ids of the agency's clients the staff member's figures count, in client reference order. */
export async function scopedClientIds(db: WebDatabase, staff: SignedInStaff, agencyId: number): Promise<number[]> {
  let query = db.selectFrom('clients').select('clients.id').where('clients.agency_id', '=', agencyId);
  if (!countsWholeAgency(staff)) query = query.where('clients.team_id', 'in', staff.teamIds.length > 0 ? staff.teamIds : [-1]);
  const rows = await query.orderBy('clients.client_ref').orderBy('clients.id').execute();
  return rows.map((row) => row.id);
}

/**
 * Returns the client references (CLIENTID) a team leader's figures count at the agency, or
 * undefined when the figures cover the whole agency and no filter applies.
 */
export async function scopedClientRefs(db: WebDatabase, staff: SignedInStaff, agencyId: number): Promise<Set<string> | undefined> {
  if (countsWholeAgency(staff)) return undefined;
  const rows = await db
    .selectFrom('clients')
    .select('clients.client_ref')
    .where('clients.agency_id', '=', agencyId)
    .where('clients.team_id', 'in', staff.teamIds.length > 0 ? staff.teamIds : [-1])
    .execute();
  return new Set(rows.map((row) => row.client_ref));
}

/** Items for the agency select, marking the chosen one. */
export function agencyItems(agencies: ReportAgency[], chosen: ReportAgency): { value: string; text: string; selected: boolean }[] {
  return agencies.map((agency) => ({ value: String(agency.id), text: `${agency.name} (${agency.code})`, selected: agency.id === chosen.id }));
}

/** Says on the page which clients the figures count. */
export function scopeNote(staff: SignedInStaff, agency: ReportAgency): string {
  return countsWholeAgency(staff)
    ? `The figures count every client of ${agency.name} (${agency.code}).`
    : `The figures count the clients of ${agency.name} (${agency.code}) placed in your teams.`;
}

/**
 * Replies to a page request whose agency choice found nothing: a message for staff in no agency's
 * team, or 404 for an agency id they do not reach.
 */
export async function replyWithoutAgency(request: FastifyRequest, reply: FastifyReply, choice: AgencyChoice): Promise<FastifyReply> {
  if (choice.agencies.length === 0) {
    return reply.view('message.njk', { pageTitle: 'No agency to report on', heading: 'No agency to report on', body: 'You are not in a team of any agency yet. Ask an administrator to add you to a team.' }, request);
  }
  return reply.code(404).view('message.njk', { pageTitle: 'Page not found', heading: 'Page not found', body: 'Check the address, or open Reports or Data quality from the menu and choose the agency there.' }, request);
}
