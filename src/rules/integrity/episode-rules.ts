import { cdsQDataset } from '../../dataset/index.js';
import type { Client, Episode } from '../../domain/model.js';
import type { PlainDate } from '../../domain/plain-date.js';
import { atEpisode, atIntervention, compareDates, dateText } from '../client-records.js';
import type { Finding } from '../finding.js';
import { makeFinding } from '../make-finding.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { waymarkIntegrity } from '../rule-sources.js';

function checkOpenInterventions(client: Client, context: RuleContext): Finding[] {
  const { dataset } = context;
  const endColumn = dataset.columnOf('intervention', 'endDate');
  const dischargeColumn = dataset.columnOf('episode', 'dischargeDate');
  const findings: Finding[] = [];
  for (const episode of client.episodes) {
    if (episode.dischargeDate === undefined) continue;
    for (const intervention of episode.interventions) {
      if (intervention.endDate !== undefined) continue;
      findings.push(
        makeFinding(openInterventionAfterDischargeRule, {
          ...atIntervention(client, intervention),
          field: endColumn,
          value: '',
          message:
            `Intervention ${intervention.interventionId} has no ${endColumn} but episode ${episode.episodeId} was discharged ` +
            `(${dischargeColumn} ${dateText(episode.dischargeDate)}). Record the date the intervention ended, on or before ${dischargeColumn}, with its exit status.`,
        }),
      );
    }
  }
  return findings;
}

/** An episode's span: from referral to discharge, open-ended while there is no discharge date. */
interface EpisodeSpan {
  episode: Episode;
  start: PlainDate;
  end: PlainDate | undefined;
}

function spansOf(client: Client): EpisodeSpan[] {
  const spans: EpisodeSpan[] = [];
  for (const episode of client.episodes) {
    if (episode.referralDate !== undefined) spans.push({ episode, start: episode.referralDate, end: episode.dischargeDate });
  }
  return spans.sort((a, b) => compareDates(a.start, b.start));
}

/** Spans overlap when each starts before the other ends; one ending the day the next starts is a handover, not an overlap. */
function overlaps(a: EpisodeSpan, b: EpisodeSpan): boolean {
  const bStartsBeforeAEnds = a.end === undefined || b.start < a.end;
  const aStartsBeforeBEnds = b.end === undefined || a.start < b.end;
  return bStartsBeforeAEnds && aStartsBeforeBEnds;
}

/** Reports each overlapping pair once, on the episode that starts later. */
function checkOverlaps(client: Client, context: RuleContext): Finding[] {
  const { dataset } = context;
  const referralColumn = dataset.columnOf('episode', 'referralDate');
  const dischargeColumn = dataset.columnOf('episode', 'dischargeDate');
  const spans = spansOf(client);
  const findings: Finding[] = [];
  for (let i = 0; i < spans.length; i += 1) {
    for (let j = i + 1; j < spans.length; j += 1) {
      const earlier = spans[i] as EpisodeSpan;
      const later = spans[j] as EpisodeSpan;
      if (!overlaps(earlier, later)) continue;
      const earlierEnd = earlier.end === undefined ? `has no ${dischargeColumn}` : `has ${dischargeColumn} ${dateText(earlier.end)}`;
      findings.push(
        makeFinding(overlappingEpisodesRule, {
          ...atEpisode(client, later.episode),
          field: referralColumn,
          value: dateText(later.start),
          message:
            `Episode ${later.episode.episodeId} has ${referralColumn} ${dateText(later.start)}, but episode ${earlier.episode.episodeId} ` +
            `(${referralColumn} ${dateText(earlier.start)}) ${earlierEnd}, so the two episodes overlap. ` +
            `Discharge episode ${earlier.episode.episodeId} on or before ${dateText(later.start)}, or record the work in one episode.`,
        }),
      );
    }
  }
  return findings;
}

export const openInterventionAfterDischargeRule: RuleDefinition = {
  code: 'D6',
  severity: 'error',
  title: 'An intervention is still open on a discharged episode',
  fields: [cdsQDataset.columnOf('intervention', 'endDate'), cdsQDataset.columnOf('episode', 'dischargeDate')],
  fix: 'Record the end date and exit status of every intervention before discharging the episode.',
  source: waymarkIntegrity,
  scope: 'client',
  check: checkOpenInterventions,
};

export const overlappingEpisodesRule: RuleDefinition = {
  code: 'D13',
  severity: 'error',
  title: 'Two episodes of one client overlap in time',
  fields: [cdsQDataset.columnOf('episode', 'referralDate'), cdsQDataset.columnOf('episode', 'dischargeDate')],
  fix: 'Discharge the earlier episode on or before the referral date of the next, or merge the records into one episode.',
  source: waymarkIntegrity,
  scope: 'client',
  check: checkOverlaps,
};

export const episodeRules: RuleDefinition[] = [openInterventionAfterDischargeRule, overlappingEpisodesRule];
