import type { Dataset, OstMarker, SubInterventionDefinition } from '../../dataset/index.js';
import type { ReviewProperty, SubInterventionReview } from '../../domain/model.js';
import { deliveredItems, listWithOr } from '../client-records.js';

/** An oral opioid substitution medication that needs a daily dose on the SIR, with the property that stores the dose. */
export interface OralOst {
  marker: OstMarker;
  doseProperty: Extract<ReviewProperty, 'methadoneDose' | 'buprenorphineDose'>;
  /** Name used in messages, with the aid's marker. */
  name: string;
}

export const oralMethadone: OralOst = { marker: 'oral-methadone', doseProperty: 'methadoneDose', name: 'oral methadone (*)' };

export const oralBuprenorphine: OralOst = { marker: 'oral-buprenorphine', doseProperty: 'buprenorphineDose', name: 'oral buprenorphine (#)' };

export const oralOstMedications: OralOst[] = [oralMethadone, oralBuprenorphine];

/** Sub-interventions that carry the medication's marker; depot and injected forms carry none. */
export function itemsWithMarker(dataset: Dataset, marker: OstMarker): SubInterventionDefinition[] {
  return dataset.subInterventions.filter((item) => item.ostMarker === marker);
}

export function deliveredWithMarker(dataset: Dataset, review: SubInterventionReview, marker: OstMarker): SubInterventionDefinition[] {
  return deliveredItems(dataset, review).filter((item) => item.ostMarker === marker);
}

/** Codes of the items carrying a marker, as "A, B or C" for messages. */
export function markedCodesText(dataset: Dataset, marker: OstMarker): string {
  return listWithOr(itemsWithMarker(dataset, marker).map((item) => item.code));
}

export function unitOf(dataset: Dataset, ost: OralOst): string {
  const format = dataset.field('review', ost.doseProperty).format;
  return format.kind === 'dose' ? format.unit : '';
}
