import { sql, type Kysely } from 'kysely';
import type { Client, Episode, Intervention, SubInterventionReview } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { clientFromRow, compareText, inColumnOrder } from './client-rows.js';
import { numberFromNumeric } from './database.js';
import type { AgencyRef } from './clients-repository.js';
import type { ClientRow, Database } from './schema.js';

/** Limits for a monthly extract: episodes open at some time from `from` to `to`, records dated up to `to`. */
export interface ExtractionWindow {
  from: PlainDate;
  to: PlainDate;
}

export interface BatchQuery {
  db: Kysely<Database>;
  agency: AgencyRef;
  window: ExtractionWindow;
  batchSize: number;
  noConsentCode: string;
}

export interface Batch {
  /** CLIENTID of the last client read, in or out of the extract; undefined when none was left. */
  lastRef: string | undefined;
  /** Whether the batch was full, so more clients may follow `lastRef`. */
  full: boolean;
  /** The clients of the batch that belong in the extract, as they stood at the window's end. */
  clients: Client[];
}

// Each record comes back as a JSON array, built by the query in `selectBatch` in this order.
// Arrays rather than objects keep the text short, which saves time on both sides.
type EpisodeJson = [
  episodeRef: string,
  referralDate: PlainDate,
  triageDate: PlainDate,
  dischargeDate: PlainDate | null,
  dischargeReason: string | null,
  interventions: InterventionJson[] | null,
  reviews: ReviewJson[] | null,
];
type InterventionJson = [
  interventionRef: string,
  interventionType: string,
  setting: string,
  referralDate: PlainDate,
  firstAppointmentOfferedDate: PlainDate | null,
  startDate: PlainDate | null,
  endDate: PlainDate | null,
  exitStatus: string | null,
];
type ReviewJson = [
  reviewRef: string,
  reviewDate: PlainDate,
  methadoneDose: string | null,
  buprenorphineDose: string | null,
  ostSupervision: string | null,
  relapsePreventionPrescribing: string | null,
  delivered: string[] | null,
];

type BatchRow = Pick<ClientRow, 'client_ref' | 'first_initial' | 'surname_initial' | 'date_of_birth' | 'sex' | 'consent'> & {
  /** The client's episodes inside the window, or null when there are none. */
  episodes: EpisodeJson[] | null;
  /** True for a client without consent and with no episode at all, who stays in the extract. */
  without_episodes: boolean;
};

/**
 * Reads the next `batchSize` clients of the agency after `lastRef` in byte order, with one
 * query, and returns those that belong in the extract.
 *
 * Every table is read through an index: the page of clients in CLIENTID order, then each
 * client's records through correlated subqueries on indexed columns. So a batch costs the
 * same however far the export has gone. The settings made for the query keep PostgreSQL to
 * that plan. Without table statistics, as after a large import on a server with autovacuum
 * off, PostgreSQL 15 planned a scan and sort of every remaining client for each batch and
 * full table scans for `IN (...)` lists. It also spent seconds per batch compiling the query
 * with JIT, because it overestimated the cost by orders of magnitude.
 */
export async function readBatch(query: BatchQuery, lastRef: string | undefined): Promise<Batch> {
  const rows = await query.db.transaction().execute(async (trx) => {
    // `set_config(..., true)` lasts until the end of this transaction only.
    await sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('jit', 'off', true)`.execute(trx);
    return selectBatch(trx, query, lastRef);
  });

  const clients: Client[] = [];
  for (const row of rows) {
    if (row.episodes === null && !row.without_episodes) continue;
    const episodes = row.episodes?.map((episode) => episodeAsAt(episode, query.window.to)).sort(byEpisodeOrder) ?? [];
    clients.push(clientFromRow(row, query.agency.code, episodes));
  }
  return { lastRef: rows[rows.length - 1]?.client_ref, full: rows.length === query.batchSize, clients };
}

async function selectBatch(db: Kysely<Database>, { agency, window, batchSize, noConsentCode }: BatchQuery, lastRef: string | undefined): Promise<BatchRow[]> {
  let page = db
    .selectFrom('clients')
    .select(['id', 'client_ref', 'first_initial', 'surname_initial', 'date_of_birth', 'sex', 'consent'])
    .where('agency_id', '=', agency.id)
    .orderBy(sql`client_ref collate "C"`)
    .limit(batchSize);
  if (lastRef !== undefined) page = page.where(sql<string>`client_ref collate "C"`, '>', lastRef);

  const { rows } = await sql<BatchRow>`
    select c.client_ref, c.first_initial, c.surname_initial, c.date_of_birth, c.sex, c.consent,
      (select json_agg(json_build_array(
          e.episode_ref, e.referral_date, e.triage_date, e.discharge_date, e.discharge_reason,
          (select json_agg(json_build_array(
              i.intervention_ref, i.intervention_type, i.setting, i.referral_date,
              i.first_appointment_offered_date, i.start_date, i.end_date, i.exit_status))
            from interventions i
            where i.episode_id = e.id and i.referral_date <= ${window.to}),
          (select json_agg(json_build_array(
              r.review_ref, r.review_date, r.methadone_dose::text, r.buprenorphine_dose::text,
              r.ost_supervision, r.relapse_prevention_prescribing,
              (select array_agg(ri.sub_intervention_code) from review_items ri where ri.review_id = r.id)))
            from reviews r
            where r.episode_id = e.id and r.review_date <= ${window.to})))
        from episodes e
        where e.client_id = c.id and e.triage_date <= ${window.to} and (e.discharge_date is null or e.discharge_date >= ${window.from})) as episodes,
      c.consent = ${noConsentCode} and not exists (select 1 from episodes e where e.client_id = c.id) as without_episodes
    from (${page}) as c
    order by c.client_ref collate "C"`.execute(db);
  return rows;
}

// Records are put in date order, ties broken by identifier, as `storedClientFrom` orders them,
// so the same data always gives the same model. The order is by UTF-16 code unit, whatever
// the database's collation.

function byEpisodeOrder(a: Episode, b: Episode): number {
  return compareText(a.referralDate as string, b.referralDate as string) || compareText(a.episodeId, b.episodeId);
}

function byInterventionOrder(a: Intervention, b: Intervention): number {
  return compareText(a.referralDate as string, b.referralDate as string) || compareText(a.interventionId, b.interventionId);
}

function byReviewOrder(a: SubInterventionReview, b: SubInterventionReview): number {
  return compareText(a.reviewDate as string, b.reviewDate as string) || compareText(a.reviewId, b.reviewId);
}

// The decoders below build each record as it stood on `end`: a discharge, end or other date
// after `end` is blanked with the field that goes with it, so a later export of an old month
// gives the same file.

function episodeAsAt(json: EpisodeJson, end: PlainDate): Episode {
  const [episodeRef, referralDate, triageDate, dischargeDate, dischargeReason, interventions, reviews] = json;
  const dischargedLater = dischargeDate !== null && dischargeDate > end;
  return {
    episodeId: episodeRef,
    referralDate,
    triageDate,
    dischargeDate: dischargedLater ? undefined : (dischargeDate ?? undefined),
    dischargeReason: dischargedLater ? undefined : (dischargeReason ?? undefined),
    interventions: (interventions ?? []).map((intervention) => interventionAsAt(intervention, end)).sort(byInterventionOrder),
    reviews: (reviews ?? []).map(reviewFrom).sort(byReviewOrder),
  };
}

function interventionAsAt(json: InterventionJson, end: PlainDate): Intervention {
  const [interventionRef, interventionType, setting, referralDate, firstAppointmentOfferedDate, startDate, endDate, exitStatus] = json;
  const endedLater = endDate !== null && endDate > end;
  return {
    interventionId: interventionRef,
    interventionType,
    setting,
    referralDate,
    firstAppointmentOfferedDate: onOrBefore(firstAppointmentOfferedDate, end),
    startDate: onOrBefore(startDate, end),
    endDate: endedLater ? undefined : (endDate ?? undefined),
    exitStatus: endedLater ? undefined : (exitStatus ?? undefined),
  };
}

// Reviews are read only up to the window's end, so none has a later date to blank.
function reviewFrom(json: ReviewJson): SubInterventionReview {
  const [reviewRef, reviewDate, methadoneDose, buprenorphineDose, ostSupervision, relapsePreventionPrescribing, delivered] = json;
  return {
    reviewId: reviewRef,
    reviewDate,
    delivered: inColumnOrder(delivered ?? []),
    methadoneDose: numberFromNumeric(methadoneDose),
    buprenorphineDose: numberFromNumeric(buprenorphineDose),
    ostSupervision: ostSupervision ?? undefined,
    relapsePreventionPrescribing: relapsePreventionPrescribing ?? undefined,
  };
}

function onOrBefore(date: PlainDate | null, end: PlainDate): PlainDate | undefined {
  return date === null || date > end ? undefined : date;
}
