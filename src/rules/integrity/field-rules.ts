import { cdsQDataset } from '../../dataset/index.js';
import type { RuleDefinition } from '../rule.js';
import { waymarkIntegrity } from '../rule-sources.js';

// The field parser reports these while it reads each value, with makeFinding(ruleFor(code)),
// so they have no client check.

export const requiredFieldRule: RuleDefinition = {
  code: 'D1',
  severity: 'error',
  title: "A required field is empty for the row's kind",
  fields: cdsQDataset.definition.fields.filter((field) => field.requirement !== 'optional').map((field) => field.name),
  fix: 'Fill the field. Client and episode fields are needed on every row, intervention fields on intervention rows, and the SIR reference and date on SIR rows.',
  source: waymarkIntegrity,
  scope: 'field',
};

export const fieldFormatRule: RuleDefinition = {
  code: 'D2',
  severity: 'error',
  title: "A value is not in the field's format or code list",
  fields: [...cdsQDataset.header],
  fix: 'Write the value in the format the field takes: dates as DD/MM/YYYY or YYYY-MM-DD with a four-digit year, and codes exactly as the code list gives them.',
  source: waymarkIntegrity,
  scope: 'field',
};

export const fieldRules: RuleDefinition[] = [requiredFieldRule, fieldFormatRule];
