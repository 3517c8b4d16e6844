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

function episodeOrders(client: Client, episode: Episode, context: RuleContext): DateOrder[] {
  const referral = dated(context, 'episode', 'referralDate', episode.referralDate);
  const triage = dated(context, 'episode', 'triageDate', episode.triageDate);
  const recordName = `episode ${episode.episodeId}`;
  const orders: DateOrder[] = [
    // When the date of birth is on or after the referral, the date of birth is the likelier typing error.
    { earlier: dated(context, 'client', 'dateOfBirth', client.dateOfBirth), later: referral, strict: true, atFault: 'earlier', location: atClient(client), recordName },
    { earlier: referral, later: triage, strict: false, atFault: 'later', location: atEpisode(client, episode), recordName },
  ];
  for (const intervention of episode.interventions) orders.push(...interventionOrders(client, episode, intervention, context));
  for (const review of episode.reviews) {
    const reviewDate = dated(context, 'review', 'reviewDate', review.reviewDate);
    orders.push({ earlier: triage, later: reviewDate, strict: false, atFault: 'later', location: atReview(client, review), recordName: `SIR ${review.reviewId} of ${recordName}` });
  }
  return orders;
}

function interventionOrders(client: Client, episode: Episode, intervention: Intervention, context: RuleContext): DateOrder[] {
  const referral = dated(context, 'intervention', 'referralDate', intervention.referralDate);
  const offered = dated(context, 'intervention', 'firstAppointmentOfferedDate', intervention.firstAppointmentOfferedDate);
  const start = dated(context, 'intervention', 'startDate', intervention.startDate);
  const end = dated(context, 'intervention', 'endDate', intervention.endDate);
  const discharge = dated(context, 'episode', 'dischargeDate', episode.dischargeDate);
  const shared = { strict: false, location: atIntervention(client, intervention), recordName: `intervention ${intervention.interventionId}` };
  return [
    { ...shared, earlier: referral, later: offered, atFault: 'later' },
    { ...shared, earlier: referral, later: start, atFault: 'later' },
    { ...shared, earlier: start, later: end, atFault: 'later' },
    { ...shared, earlier: end, later: discharge, atFault: 'earlier', recordName: `intervention ${intervention.interventionId} of episode ${episode.episodeId}` },
  ];
}

function isOutOfOrder(order: DateOrder): boolean {
  const { earlier, later } = order;
  if (earlier.date === undefined || later.date === undefined) return false;
  return order.strict ? earlier.date >= later.date : earlier.date > later.date;
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

function allDatedFields(client: Client, context: RuleContext): { field: DatedField; location: RecordLocation; recordName: string }[] {
  const fields = [{ field: dated(context, 'client', 'dateOfBirth', client.dateOfBirth), location: atClient(client), recordName: `client ${client.clientId}` }];
  for (const episode of client.episodes) {
    const onEpisode = { location: atEpisode(client, episode), recordName: `episode ${episode.episodeId}` };
    fields.push(
      { field: dated(context, 'episode', 'referralDate', episode.referralDate), ...onEpisode },
      { field: dated(context, 'episode', 'triageDate', episode.triageDate), ...onEpisode },
      { field: dated(context, 'episode', 'dischargeDate', episode.dischargeDate), ...onEpisode },
    );
    for (const intervention of episode.interventions) {
      const onIntervention = { location: atIntervention(client, intervention), recordName: `intervention ${intervention.interventionId}` };
      fields.push(
        { field: dated(context, 'intervention', 'referralDate', intervention.referralDate), ...onIntervention },
        { field: dated(context, 'intervention', 'firstAppointmentOfferedDate', intervention.firstAppointmentOfferedDate), ...onIntervention },
        { field: dated(context, 'intervention', 'startDate', intervention.startDate), ...onIntervention },
        { field: dated(context, 'intervention', 'endDate', intervention.endDate), ...onIntervention },
      );
    }
    for (const review of episode.reviews) {
      fields.push({ field: dated(context, 'review', 'reviewDate', review.reviewDate), location: atReview(client, review), recordName: `SIR ${review.reviewId}` });
    }
  }
  return fields;
}

function checkFutureDates(client: Client, context: RuleContext): Finding[] {
  const latest = context.latestAllowedDate;
  return allDatedFields(client, context)
    .filter(({ field }) => field.date !== undefined && field.date > latest)
    .map(({ field, location, recordName }) =>
      makeFinding(futureDateRule, {
        ...location,
        field: field.column,
        value: dateText(field.date),
        message:
          `${field.column} is ${dateText(field.date)} on ${recordName}, after ${dateText(latest)}, the last date this check accepts ` +
          '(the end of the reporting period, or today when no period is given). Correct the date, or leave the record for a later submission.',
      }),
    );
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
  check: (client, context) => client.episodes.flatMap((episode) => episodeOrders(client, episode, context)).filter(isOutOfOrder).map(reportOrder),
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
