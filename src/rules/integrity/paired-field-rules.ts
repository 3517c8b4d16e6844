import { cdsQDataset, type Dataset } from '../../dataset/index.js';
import { wasRejected, type Client, type Entity, type EntityProperties } from '../../domain/model.js';
import type { PlainDate } from '../../domain/plain-date.js';
import { atEpisode, atIntervention, codeWithLabel, dateText, type RecordLocation } from '../client-records.js';
import type { Finding } from '../finding.js';
import { makeFinding } from '../make-finding.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { waymarkIntegrity } from '../rule-sources.js';

/** One side of a pair: the column and its value as a message shows it, or undefined when empty. */
interface PairSide {
  column: string;
  text: string | undefined;
  /** Given but failed its field check, so D2 has reported it and it is not empty. */
  rejected: boolean;
}

/** Two fields that are given together or not at all, such as an end date and how it ended. */
interface FieldPair {
  first: PairSide;
  second: PairSide;
  location: RecordLocation;
  recordName: string;
}

/** Points at the empty field of a half-filled pair, naming the one that is filled. */
function checkPair(pair: FieldPair): Finding | undefined {
  if (pair.first.rejected || pair.second.rejected) return undefined;
  const firstGiven = pair.first.text !== undefined;
  if (firstGiven === (pair.second.text !== undefined)) return undefined;
  const [filled, empty] = firstGiven ? [pair.first, pair.second] : [pair.second, pair.first];
  return makeFinding(pairedFieldRule, {
    ...pair.location,
    field: empty.column,
    value: '',
    message:
      `On ${pair.recordName}, ${filled.column} is ${filled.text} but ${empty.column} is empty. ` +
      `${pair.first.column} and ${pair.second.column} are given together: fill ${empty.column}, or clear ${filled.column}.`,
  });
}

function optionalDate(date: PlainDate | undefined): string | undefined {
  return date === undefined ? undefined : dateText(date);
}

function optionalCode<E extends Entity>(dataset: Dataset, entity: E, property: EntityProperties[E], code: string | undefined): string | undefined {
  return code === undefined ? undefined : codeWithLabel(dataset, entity, property, code);
}

function pairsOf(client: Client, context: RuleContext): FieldPair[] {
  const { dataset } = context;
  const pairs: FieldPair[] = [];
  for (const episode of client.episodes) {
    for (const intervention of episode.interventions) {
      pairs.push({
        first: { column: dataset.columnOf('intervention', 'endDate'), text: optionalDate(intervention.endDate), rejected: wasRejected(intervention, 'endDate') },
        second: {
          column: dataset.columnOf('intervention', 'exitStatus'),
          text: optionalCode(dataset, 'intervention', 'exitStatus', intervention.exitStatus),
          rejected: wasRejected(intervention, 'exitStatus'),
        },
        location: atIntervention(client, intervention),
        recordName: `intervention ${intervention.interventionId}`,
      });
    }
    pairs.push({
      first: { column: dataset.columnOf('episode', 'dischargeDate'), text: optionalDate(episode.dischargeDate), rejected: wasRejected(episode, 'dischargeDate') },
      second: {
        column: dataset.columnOf('episode', 'dischargeReason'),
        text: optionalCode(dataset, 'episode', 'dischargeReason', episode.dischargeReason),
        rejected: wasRejected(episode, 'dischargeReason'),
      },
      location: atEpisode(client, episode),
      recordName: `episode ${episode.episodeId}`,
    });
  }
  return pairs;
}

export const pairedFieldRule: RuleDefinition = {
  code: 'D5',
  severity: 'error',
  title: 'An end date without its exit status or discharge reason, or the reverse',
  fields: [
    cdsQDataset.columnOf('intervention', 'endDate'),
    cdsQDataset.columnOf('intervention', 'exitStatus'),
    cdsQDataset.columnOf('episode', 'dischargeDate'),
    cdsQDataset.columnOf('episode', 'dischargeReason'),
  ],
  fix: 'Give an intervention end date with its exit status, and a discharge date with its discharge reason, or leave both empty.',
  source: waymarkIntegrity,
  scope: 'client',
  check: (client, context) => pairsOf(client, context).flatMap((pair) => checkPair(pair) ?? []),
};
