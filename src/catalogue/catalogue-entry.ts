import type { Competence, Dataset, OstMarker, SubInterventionDefinition, SubInterventionGroup } from '../dataset/index.js';

/** The aid's marker for an oral OST item: `*` oral methadone, `#` oral buprenorphine, empty for neither. */
export type OstMarkerSymbol = '*' | '#' | '';

/** One sub-intervention as the catalogue shows it: plain values, ready for a table, JSON or CSV. */
export interface CatalogueEntry {
  code: string;
  name: string;
  group: SubInterventionGroup;
  groupLabel: string;
  /** MODAL code of the intervention type the item belongs to. */
  interventionType: string;
  interventionTypeLabel: string;
  ostMarker: OstMarkerSymbol;
  medication: string | null;
  purpose: string | null;
  withdrawal: boolean;
  postStructuredOnly: boolean;
  requires: Competence[];
  confirmPurpose: string | null;
  provisional: boolean;
}

export function ostMarkerSymbol(marker: OstMarker | null): OstMarkerSymbol {
  if (marker === null) return '';
  switch (marker) {
    case 'oral-methadone':
      return '*';
    case 'oral-buprenorphine':
      return '#';
  }
}

export function groupLabel(group: SubInterventionGroup): string {
  switch (group) {
    case 'structured-psychosocial':
      return 'Structured psychosocial';
    case 'structured-pharmacological':
      return 'Structured pharmacological';
    case 'recovery-support':
      return 'Recovery support (non-structured)';
  }
}

export function competenceLabel(competence: Competence): string {
  switch (competence) {
    case 'structured-psychosocial':
      return 'structured psychosocial competences';
    case 'bacp-accreditation':
      return 'BACP accreditation';
    case 'professional-registration':
      return 'professional registration';
    case 'stop-smoking-advisor':
      return 'trained stop-smoking advisor';
  }
}

/** Label of an intervention type code, looked up through the MODAL field's own code list. */
export function interventionTypeLabel(dataset: Dataset, code: string): string {
  const format = dataset.field('intervention', 'interventionType').format;
  if (format.kind !== 'code') return code;
  return dataset.codeLabel(format.codeList, code) ?? code;
}

export function catalogueEntry(dataset: Dataset, item: SubInterventionDefinition): CatalogueEntry {
  return {
    code: item.code,
    name: item.name,
    group: item.group,
    groupLabel: groupLabel(item.group),
    interventionType: item.interventionType,
    interventionTypeLabel: interventionTypeLabel(dataset, item.interventionType),
    ostMarker: ostMarkerSymbol(item.ostMarker),
    medication: item.medication,
    purpose: item.purpose,
    withdrawal: item.withdrawal,
    postStructuredOnly: item.postStructuredOnly,
    requires: [...item.requires],
    confirmPurpose: item.confirmPurpose,
    provisional: item.provisional,
  };
}

/** Builds an entry for every sub-intervention of the dataset, in file column order. */
export function catalogueEntries(dataset: Dataset): CatalogueEntry[] {
  return dataset.subInterventions.map((item) => catalogueEntry(dataset, item));
}
