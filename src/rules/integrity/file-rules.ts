import { cdsQDataset } from '../../dataset/index.js';
import type { RuleDefinition } from '../rule.js';
import { waymarkIntegrity } from '../rule-sources.js';

// The file reader reports these because they depend on the rows of a file, not on one
// client's records, so they have no client check.

const column = {
  clientId: cdsQDataset.columnOf('client', 'clientId'),
  dateOfBirth: cdsQDataset.columnOf('client', 'dateOfBirth'),
  sex: cdsQDataset.columnOf('client', 'sex'),
  firstInitial: cdsQDataset.columnOf('client', 'firstInitial'),
  surnameInitial: cdsQDataset.columnOf('client', 'surnameInitial'),
  episodeId: cdsQDataset.columnOf('episode', 'episodeId'),
  interventionId: cdsQDataset.columnOf('intervention', 'interventionId'),
  reviewId: cdsQDataset.columnOf('review', 'reviewId'),
};

export const conflictingRecordRule: RuleDefinition = {
  code: 'D7',
  severity: 'error',
  title: 'Rows disagree about one client, episode, intervention or SIR, or an identifier is reused under another client',
  fields: Object.values(column),
  fix: `Give every row of a client the same ${column.dateOfBirth}, ${column.sex}, ${column.firstInitial} and ${column.surnameInitial}, give each identifier one content, and never reuse an identifier for another client.`,
  source: waymarkIntegrity,
  scope: 'file',
};

export const unknownRowKindRule: RuleDefinition = {
  code: 'D10',
  severity: 'error',
  title: 'A row is neither clearly an intervention row nor clearly a SIR row',
  fields: [column.interventionId, column.reviewId],
  fix: 'Fill either the intervention fields or the SIR fields on each row, never both. Send an episode without interventions or SIRs as one row of client and episode fields only.',
  source: waymarkIntegrity,
  scope: 'file',
};

export const headerRule: RuleDefinition = {
  code: 'D11',
  severity: 'error',
  title: 'The header is missing a field, has an unknown field, or lists the fields out of order; the file is not read further',
  fields: [],
  fix: `Make the first row list the ${cdsQDataset.name} fields exactly, in the order of the file layout.`,
  source: waymarkIntegrity,
  scope: 'file',
};

export const contiguousClientRule: RuleDefinition = {
  code: 'D12',
  severity: 'error',
  title: "A client's rows are not next to each other in the file",
  fields: [column.clientId],
  fix: "Write all of a client's rows together: episodes in date order, then interventions, then SIRs.",
  source: waymarkIntegrity,
  scope: 'file',
};

export const fileRules: RuleDefinition[] = [conflictingRecordRule, unknownRowKindRule, headerRule, contiguousClientRule];
