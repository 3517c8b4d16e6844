import { cdsQDataset } from '../../dataset/index.js';
import type { Client, Entity, EntityProperties, Episode, Intervention } from '../../domain/model.js';
import type { PlainDate } from '../../domain/plain-date.js';
import { atClient, atEpisode, atIntervention, atReview, dateText, type RecordLocation } from '../client-records.js';
import type { Finding } from '../finding.js';
import { makeFinding } from '../make-finding.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { waymarkIntegrity } from '../rule-sources.js';

/** A date with the column that stores it. */
interface DatedField {
  column: string;
  date: PlainDate | undefined;
}

/**
 * Two dates that must come in order. `atFault` names the date the finding points at: the
 * one more likely mistyped, or the one on the record that is checked.
 */
interface DateOrder {
  earlier: DatedField;
  later: DatedField;
  /** True when the dates may not be equal. */
  strict: boolean;
  atFault: 'earlier' | 'later';
  location: RecordLocation;
  /** The record, as a message names it, such as "intervention M1". */
  recordName: string;
}

function dated<E extends Entity>(context: RuleContext, entity: E, property: EntityProperties[E], date: PlainDate | undefined): DatedField {
  return { column: context.dataset.columnOf(entity, property), date };
}

const episodeDates = ['referralDate', 'triageDate', 'dischargeDate'] as const;
const interventionDates = ['referralDate', 'firstAppointmentOfferedDate', 'startDate', 'endDate'] as const;

/** Returns true when two dates are out of order; a missing date is never out of order. */
function isOutOfOrder(earlier: PlainDate | undefined, later: PlainDate | undefined, strict: boolean): boolean {
  if (earlier === undefined || later === undefined) return false;
  return strict ? earlier >= later : earlier > later;
}

// Every client runs through these checks and nearly all pass, so each pair is compared
// first and the finding, with its column names and message, is built only for a failure.
function checkEpisodeOrders(client: Client, episode: Episode, context: RuleContext, findings: Finding[]): void {
  const recordName = (): string => `episode ${episode.episodeId}`;
  // When the date of birth is on or after the referral, the date of birth is the likelier typing error.
  if (isOutOfOrder(client.dateOfBirth, episode.referralDate, true)) {
    const earlier = dated(context, 'client', 'dateOfBirth', client.dateOfBirth);
    const later = dated(context, 'episode', 'referralDate', episode.referralDate);
    findings.push(reportOrder({ earlier, later, strict: true, atFault: 'earlier', location: atClient(client), recordName: recordName() }));
  }
  if (isOutOfOrder(episode.referralDate, episode.triageDate, false)) {
    const earlier = dated(context, 'episode', 'referralDate', episode.referralDate);
    const later = dated(context, 'episode', 'triageDate', episode.triageDate);
    findings.push(reportOrder({ earlier, later, strict: false, atFault: 'later', location: atEpisode(client, episode), recordName: recordName() }));
  }

  for (const intervention of episode.interventions) checkInterventionOrders(client, episode, intervention, context, findings);

  for (const review of episode.reviews) {
    if (!isOutOfOrder(episode.triageDate, review.reviewDate, false)) continue;
    const earlier = dated(context, 'episode', 'triageDate', episode.triageDate);
    const later = dated(context, 'review', 'reviewDate', review.reviewDate);
    findings.push(
      reportOrder({ earlier, later, strict: false, atFault: 'later', location: atReview(client, review), recordName: `SIR ${review.reviewId} of ${recordName()}` }),
    );
  }
}

/** Pairs of an intervention's own dates that must be in order; the finding points at the later one. */
const interventionOrders: [(typeof interventionDates)[number], (typeof interventionDates)[number]][] = [
  ['referralDate', 'firstAppointmentOfferedDate'],
  ['referralDate', 'startDate'],
  ['startDate', 'endDate'],
];

function checkInterventionOrders(client: Client, episode: Episode, intervention: Intervention, context: RuleContext, findings: Finding[]): void {
  const location = (): RecordLocation => atIntervention(client, intervention);
  for (const [earlierProperty, laterProperty] of interventionOrders) {
    if (!isOutOfOrder(intervention[earlierProperty], intervention[laterProperty], false)) continue;
    const earlier = dated(context, 'intervention', earlierProperty, intervention[earlierProperty]);
    const later = dated(context, 'intervention', laterProperty, intervention[laterProperty]);
    findings.push(reportOrder({ earlier, later, strict: false, atFault: 'later', location: location(), recordName: `intervention ${intervention.interventionId}` }));
  }

  // An intervention ends by its episode's discharge. The end date is the one at fault, and the message names the episode.
  if (isOutOfOrder(intervention.endDate, episode.dischargeDate, false)) {
    const earlier = dated(context, 'intervention', 'endDate', intervention.endDate);
    const later = dated(context, 'episode', 'dischargeDate', episode.dischargeDate);
    const recordName = `intervention ${intervention.interventionId} of episode ${episode.episodeId}`;
    findings.push(reportOrder({ earlier, later, strict: false, atFault: 'earlier', location: location(), recordName }));
  }
}

function reportOrder(order: DateOrder): Finding {
  const { earlier, later } = order;
  const fault = order.atFault === 'earlier' ? earlier : later;
  const relation = order.strict ? 'before' : 'on or before';
  return makeFinding(dateOrderRule, {
    ...order.location,
    field: fault.column,
    value: dateText(fault.date),
    message:
      `On ${order.recordName}, ${earlier.column} is ${dateText(earlier.date)} and ${later.column} is ${dateText(later.date)}, ` +
      `but ${earlier.column} must be ${relation} ${later.column}. Correct whichever date is wrong.`,
  });
}

// Nearly every date passes, so each is compared first and its finding built only when it is late.
function checkFutureDates(client: Client, context: RuleContext): Finding[] {
  const latest = context.latestAllowedDate;
  const isLate = (date: PlainDate | undefined): boolean => date !== undefined && date > latest;
  const findings: Finding[] = [];
  const report = (field: DatedField, location: RecordLocation, recordName: string): void => {
    findings.push(reportFutureDate(field, location, recordName, latest));
  };

  if (isLate(client.dateOfBirth)) report(dated(context, 'client', 'dateOfBirth', client.dateOfBirth), atClient(client), `client ${client.clientId}`);
  for (const episode of client.episodes) {
    for (const property of episodeDates) {
      if (isLate(episode[property])) report(dated(context, 'episode', property, episode[property]), atEpisode(client, episode), `episode ${episode.episodeId}`);
    }
    for (const intervention of episode.interventions) {
      for (const property of interventionDates) {
        if (!isLate(intervention[property])) continue;
        report(dated(context, 'intervention', property, intervention[property]), atIntervention(client, intervention), `intervention ${intervention.interventionId}`);
      }
    }
    for (const review of episode.reviews) {
      if (isLate(review.reviewDate)) report(dated(context, 'review', 'reviewDate', review.reviewDate), atReview(client, review), `SIR ${review.reviewId}`);
    }
  }
  return findings;
}

function reportFutureDate(field: DatedField, location: RecordLocation, recordName: string, latest: PlainDate): Finding {
  return makeFinding(futureDateRule, {
    ...location,
    field: field.column,
    value: dateText(field.date),
    message:
      `${field.column} is ${dateText(field.date)} on ${recordName}, after ${dateText(latest)}, the last date this check accepts ` +
      '(the end of the reporting period, or today when no period is given). Correct the date, or leave the record for a later submission.',
  });
}

export const dateOrderRule: RuleDefinition = {
  code: 'D3',
  severity: 'error',
  title: 'Dates out of order within a client, episode, intervention or SIR',
  fields: [
    cdsQDataset.columnOf('client', 'dateOfBirth'),
    cdsQDataset.columnOf('episode', 'referralDate'),
    cdsQDataset.columnOf('episode', 'triageDate'),
    cdsQDataset.columnOf('intervention', 'referralDate'),
    cdsQDataset.columnOf('intervention', 'firstAppointmentOfferedDate'),
    cdsQDataset.columnOf('intervention', 'startDate'),
    cdsQDataset.columnOf('intervention', 'endDate'),
    cdsQDataset.columnOf('episode', 'dischargeDate'),
    cdsQDataset.columnOf('review', 'reviewDate'),
  ],
  fix: 'Correct whichever of the two dates is wrong so that they follow the order of the treatment journey.',
  source: waymarkIntegrity,
  scope: 'client',
  check: (client, context) => {
    const findings: Finding[] = [];
    for (const episode of client.episodes) checkEpisodeOrders(client, episode, context, findings);
    return findings;
  },
};

export const futureDateRule: RuleDefinition = {
  code: 'D4',
  severity: 'error',
  title: 'A date after the end of the reporting period, or after today when no period is given',
  fields: [...dateOrderRule.fields],
  fix: 'Correct the date; records dated after the period belong in a later submission.',
  source: waymarkIntegrity,
  scope: 'client',
  check: checkFutureDates,
};
