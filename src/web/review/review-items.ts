import { groupLabel, ostMarkerSymbol } from '../../catalogue/catalogue-entry.js';
import { cdsQDataset } from '../../dataset/index.js';
import type { Competence, SubInterventionDefinition, SubInterventionGroup } from '../../dataset/index.js';
import type { SignedInStaff } from '../accounts/sessions.js';

/**
 * Which part of the treatment journey a review records. `in-treatment` reviews offer the
 * structured and recovery items except the post-structured-only ones. `post-discharge`
 * reviews come only after a successful discharge. They offer recovery support items,
 * including the post-structured-only ones, and the relapse-prevention prescribing question.
 */
export type ReviewPhase = 'in-treatment' | 'post-discharge';

const groupOrder: SubInterventionGroup[] = ['structured-psychosocial', 'structured-pharmacological', 'recovery-support'];

/** Returns whether an item may be recorded in a phase. Structured items after discharge would need the client back in structured treatment. */
export function isItemAllowed(item: SubInterventionDefinition, phase: ReviewPhase): boolean {
  switch (phase) {
    case 'in-treatment':
      return !item.postStructuredOnly;
    case 'post-discharge':
      return item.group === 'recovery-support';
  }
}

export function allowedItems(phase: ReviewPhase): SubInterventionDefinition[] {
  return cdsQDataset.subInterventions.filter((item) => isItemAllowed(item, phase));
}

/** Competences the staff member lacks for an item; a professional registration of any kind meets `professional-registration`. */
export function missingCompetences(item: SubInterventionDefinition, staff: SignedInStaff): Competence[] {
  return item.requires.filter((competence) => (competence === 'professional-registration' ? staff.registrations.length === 0 : !staff.competences.includes(competence)));
}

const competenceWords: Record<Competence, string> = {
  'structured-psychosocial': 'competence in structured psychosocial interventions',
  'bacp-accreditation': 'BACP accreditation',
  'professional-registration': 'a professional registration',
  'stop-smoking-advisor': 'stop smoking advisor training',
};

export function describeCompetences(competences: Competence[]): string {
  return competences.map((competence) => competenceWords[competence]).join(' and ');
}

export interface ItemView {
  code: string;
  name: string;
  ostMarker: string;
  ostMarkerSymbol: string;
  whenToRecord: string;
  confirmPurpose: string | null;
  purposeConfirmed: boolean;
  missingCompetences: string;
  checked: boolean;
  provisional: boolean;
}

/** Lists the items of a phase in the dataset's three groups, with ticks and confirmations as given. */
export function groupedItems(phase: ReviewPhase, ticked: Set<string>, confirmedPurposes: Set<string>, staff: SignedInStaff): { group: string; label: string; items: ItemView[] }[] {
  const items = allowedItems(phase);
  return groupOrder
    .map((group) => ({
      group,
      label: groupLabel(group),
      items: items
        .filter((item) => item.group === group)
        .map((item) => ({
          code: item.code,
          name: item.name,
          ostMarker: item.ostMarker ?? '',
          ostMarkerSymbol: ostMarkerSymbol(item.ostMarker),
          whenToRecord: item.whenToRecord,
          confirmPurpose: item.confirmPurpose,
          purposeConfirmed: confirmedPurposes.has(item.code),
          missingCompetences: describeCompetences(missingCompetences(item, staff)),
          checked: ticked.has(item.code),
          provisional: item.provisional,
        })),
    }))
    .filter((group) => group.items.length > 0);
}
