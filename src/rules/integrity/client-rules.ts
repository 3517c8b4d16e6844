import { cdsQDataset } from '../../dataset/index.js';
import type { Client } from '../../domain/model.js';
import { ageOn } from '../../domain/plain-date.js';
import { atClient, dateText, listWithOr } from '../client-records.js';
import type { Finding } from '../finding.js';
import { makeFinding } from '../make-finding.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { waymarkIntegrity } from '../rule-sources.js';

/** Reports each field the file reader found filled on a client without consent. */
function checkNoConsent(client: Client, context: RuleContext): Finding[] {
  const { dataset } = context;
  if (client.consent !== dataset.conventions.noConsentCode) return [];
  const consentColumn = dataset.columnOf('client', 'consent');
  const allowedFields = listWithOr(dataset.conventions.noConsentFields);
  return (client.filledWithoutConsent ?? []).map((filled) =>
    makeFinding(filledWithoutConsentRule, {
      ...atClient(client),
      line: filled.line ?? client.line,
      field: filled.field,
      value: filled.value,
      message:
        `${filled.field} is filled for client ${client.clientId}, whose ${consentColumn} is ${dataset.conventions.noConsentCode}. ` +
        `A client who has not consented is sent with only ${allowedFields}: clear ${filled.field}.`,
    }),
  );
}

/** Warns for each episode whose triage falls outside the expected adult age range. */
function checkAgeAtTriage(client: Client, context: RuleContext): Finding[] {
  const { dataset, thresholds } = context;
  const birth = client.dateOfBirth;
  if (birth === undefined) return [];
  const birthColumn = dataset.columnOf('client', 'dateOfBirth');
  const triageColumn = dataset.columnOf('episode', 'triageDate');
  const findings: Finding[] = [];
  for (const episode of client.episodes) {
    if (episode.triageDate === undefined) continue;
    const age = ageOn(birth, episode.triageDate);
    if (age >= thresholds.minimumAgeAtTriage && age <= thresholds.maximumAgeAtTriage) continue;
    const expected = `${thresholds.minimumAgeAtTriage} to ${thresholds.maximumAgeAtTriage}`;
    findings.push(
      makeFinding(ageAtTriageRule, {
        ...atClient(client),
        field: birthColumn,
        value: dateText(birth),
        message:
          `With ${birthColumn} ${dateText(birth)}, client ${client.clientId} was ${age} at ${triageColumn} ${dateText(episode.triageDate)} ` +
          `of episode ${episode.episodeId}, outside the expected ${expected} for the adult dataset. ` +
          `Check ${birthColumn} and ${triageColumn}, and confirm them if they are correct.`,
      }),
    );
  }
  return findings;
}

export const filledWithoutConsentRule: RuleDefinition = {
  code: 'D8',
  severity: 'error',
  title: `${cdsQDataset.columnOf('client', 'consent')} is ${cdsQDataset.conventions.noConsentCode} but a field other than ${listWithOr(cdsQDataset.conventions.noConsentFields)} is filled`,
  fields: [cdsQDataset.columnOf('client', 'consent')],
  fix: `For a client who has not consented, send one row with only ${listWithOr(cdsQDataset.conventions.noConsentFields)} filled.`,
  source: waymarkIntegrity,
  scope: 'client',
  check: checkNoConsent,
};

export const ageAtTriageRule: RuleDefinition = {
  code: 'D9',
  severity: 'warning',
  title: 'Age at triage is below the adult minimum or above the plausible maximum',
  fields: [cdsQDataset.columnOf('client', 'dateOfBirth'), cdsQDataset.columnOf('episode', 'triageDate')],
  fix: 'Check the date of birth and triage date; confirm them when they are correct.',
  source: waymarkIntegrity,
  scope: 'client',
  thresholds: ['minimumAgeAtTriage', 'maximumAgeAtTriage'],
  check: checkAgeAtTriage,
};

export const clientRules: RuleDefinition[] = [filledWithoutConsentRule, ageAtTriageRule];
