import type { SubInterventionDefinition } from '../../dataset/index.js';
import { cdsQDataset } from '../../dataset/index.js';
import type { Client, SubInterventionReview } from '../../domain/model.js';
import { atReview, deliveredItems } from '../client-records.js';
import type { Finding } from '../finding.js';
import { makeFinding } from '../make-finding.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { aidPharmacological } from '../rule-sources.js';

/**
 * Returns why two items delivered together on one SIR are unlikely, or undefined when they may go
 * together. A client has one current purpose per medication and one oral opioid substitute.
 */
function conflictBetween(first: SubInterventionDefinition, second: SubInterventionDefinition): string | undefined {
  if (first.medication !== null && first.medication === second.medication) {
    return `two purposes of ${first.medication}`;
  }
  const markers = new Set([first.ostMarker, second.ostMarker]);
  if (markers.has('oral-methadone') && markers.has('oral-buprenorphine')) {
    return 'oral methadone together with oral buprenorphine';
  }
  if (first.ostMarker === 'oral-buprenorphine' && second.ostMarker === 'oral-buprenorphine') {
    return `two different oral buprenorphine medications, ${first.medication ?? first.code} and ${second.medication ?? second.code}`;
  }
  return undefined;
}

/** Reports each conflicting pair once, pointing at the later column of the pair. */
function checkReview(client: Client, review: SubInterventionReview, context: RuleContext): Finding[] {
  const delivered = context.dataset.conventions.deliveredCode;
  const items = deliveredItems(context.dataset, review);
  const findings: Finding[] = [];
  for (let i = 0; i < items.length; i += 1) {
    for (let j = i + 1; j < items.length; j += 1) {
      const first = items[i] as SubInterventionDefinition;
      const second = items[j] as SubInterventionDefinition;
      const conflict = conflictBetween(first, second);
      if (conflict === undefined) continue;
      findings.push(
        makeFinding(medicationCombinationRule, {
          ...atReview(client, review),
          field: second.code,
          value: delivered,
          message:
            `${first.code} and ${second.code} are both marked ${delivered} on SIR ${review.reviewId}: ${conflict}. ` +
            'Keep only the item for what the client is prescribed now, or confirm that both are prescribed.',
        }),
      );
    }
  }
  return findings;
}

export const medicationCombinationRule: RuleDefinition = {
  code: 'A10',
  severity: 'warning',
  title: 'Two purposes of one medication, oral methadone with oral buprenorphine, or mono buprenorphine with buprenorphine-naloxone on one SIR',
  fields: cdsQDataset.subInterventions.filter((item) => item.medication !== null).map((item) => item.code),
  fix: 'Mark one purpose per medication and one oral opioid substitute per SIR, or confirm the combination when it is prescribed.',
  source: aidPharmacological,
  scope: 'client',
  check: (client, context) => client.episodes.flatMap((episode) => episode.reviews.flatMap((review) => checkReview(client, review, context))),
};
