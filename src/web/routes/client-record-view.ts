import { cdsQDataset } from '../../dataset/index.js';
import type { Finding } from '../../rules/finding.js';
import { numberFromNumeric } from '../../db/database.js';
import { inColumnOrder } from '../../db/client-rows.js';
import type { ClientRecord, EpisodeRecord, ReviewRecord } from '../data/client-records.js';
import { presentFindingMessage } from '../forms/finding-messages.js';

function label(listName: string, code: string | null): string {
  if (code === null) return '';
  return cdsQDataset.codeLabel(listName, code) ?? code;
}

/** Shapes a client's rows and rule findings for the record page. */
export function clientRecordView(record: ClientRecord, findings: Finding[]) {
  return {
    client: {
      id: record.id,
      clientRef: record.client_ref,
      initials: `${record.first_initial ?? ''}${record.surname_initial ?? ''}`,
      dateOfBirth: record.date_of_birth,
      sex: label('sex', record.sex),
      consent: label('consent', record.consent),
    },
    episodes: [...record.episodes].reverse().map(episodeView),
    findings: findings.map((finding) => ({ code: finding.code, severity: finding.severity, field: finding.field, message: presentFindingMessage(finding.message), record: finding.record?.id ?? '' })),
  };
}

function episodeView(episode: EpisodeRecord) {
  return {
    id: episode.id,
    episodeRef: episode.episode_ref,
    referralDate: episode.referral_date,
    triageDate: episode.triage_date,
    dischargeDate: episode.discharge_date,
    dischargeReason: label('discharge-reason', episode.discharge_reason),
    open: episode.discharge_date === null,
    interventions: episode.interventions.map((intervention) => ({
      id: intervention.id,
      ref: intervention.intervention_ref,
      type: label('intervention-type', intervention.intervention_type),
      setting: label('setting', intervention.setting),
      referralDate: intervention.referral_date,
      startDate: intervention.start_date,
      endDate: intervention.end_date,
      exitStatus: label('exit-status', intervention.exit_status),
      open: intervention.end_date === null,
    })),
    // Newest first: the timeline reads from the latest review back.
    reviews: [...episode.reviews].reverse().map((review) => reviewView(review, episode)),
  };
}

function reviewView(review: ReviewRecord, episode: EpisodeRecord) {
  const methadoneDose = numberFromNumeric(review.methadone_dose);
  const buprenorphineDose = numberFromNumeric(review.buprenorphine_dose);
  const answers: string[] = [];
  if (methadoneDose !== undefined) answers.push(`${cdsQDataset.field('review', 'methadoneDose').label}: ${methadoneDose}`);
  if (buprenorphineDose !== undefined) answers.push(`${cdsQDataset.field('review', 'buprenorphineDose').label}: ${buprenorphineDose}`);
  if (review.ost_supervision !== null && review.ost_supervision !== cdsQDataset.conventions.ostNotApplicableCode) {
    answers.push(`${cdsQDataset.field('review', 'ostSupervision').label}: ${label('ost-supervision', review.ost_supervision)}`);
  }
  if (review.relapse_prevention_prescribing !== null) {
    answers.push(`${cdsQDataset.field('review', 'relapsePreventionPrescribing').label}: ${label('relapse-prevention-prescribing', review.relapse_prevention_prescribing)}`);
  }
  return {
    id: review.id,
    ref: review.review_ref,
    date: review.review_date,
    postDischarge: episode.discharge_date !== null && review.review_date > episode.discharge_date,
    // Dataset column order, the order the review form lists the items in.
    items: inColumnOrder(review.items).map((code) => ({ code, name: cdsQDataset.subIntervention(code)?.name ?? code })),
    answers,
  };
}
