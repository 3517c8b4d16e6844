import { test } from 'node:test';
import type { Client } from '../../domain/model.js';
import { buildClient, buildRuleContext, isoDate } from '../../testing/client-builder.js';
import { assertFindings, runCheck, type ExpectedFinding } from '../expect-findings.js';
import { ageAtTriageRule, filledWithoutConsentRule } from './client-rules.js';

const context = buildRuleContext();
const onClient = { clientId: 'C0001', record: { entity: 'client', id: 'C0001' } } as const;

const consentCases: { name: string; client: Client; expected: ExpectedFinding[] }[] = [
  { name: 'consenting client', client: buildClient({ filledWithoutConsent: [] }), expected: [] },
  { name: 'client without consent and nothing filled', client: buildClient({ consent: 'N', episodes: [], filledWithoutConsent: [] }), expected: [] },
  {
    name: 'client without consent and filled fields',
    client: buildClient({
      consent: 'N',
      episodes: [],
      filledWithoutConsent: [
        { field: 'FINITIAL', value: 'J', line: 7 },
        { field: 'EPISODID', value: 'E1' },
      ],
    }),
    expected: [
      { code: 'D8', severity: 'error', ...onClient, line: 7, field: 'FINITIAL', value: 'J', mentions: ['CONSENT is N', 'AGNCY, CLIENTID or CONSENT'] },
      { code: 'D8', severity: 'error', ...onClient, line: 2, field: 'EPISODID', value: 'E1' },
    ],
  },
];

for (const { name, client, expected } of consentCases) {
  void test(`D8 ${name}`, () => {
    assertFindings(runCheck(filledWithoutConsentRule, client, context), expected);
  });
}

// The built client is triaged on 15/01/2024.
const ageCases: { name: string; birth: string; expected: ExpectedFinding[] }[] = [
  { name: 'exactly 18 at triage', birth: '2006-01-15', expected: [] },
  {
    name: 'a day short of 18 at triage',
    birth: '2006-01-16',
    expected: [{ code: 'D9', severity: 'warning', ...onClient, line: 2, field: 'DOB', value: '16/01/2006', mentions: ['17', 'TRIAGED 15/01/2024', '18 to 100'] }],
  },
  { name: 'exactly 100 at triage', birth: '1924-01-15', expected: [] },
  {
    name: '101 at triage',
    birth: '1923-01-15',
    expected: [{ code: 'D9', severity: 'warning', ...onClient, line: 2, field: 'DOB', value: '15/01/1923', mentions: ['101'] }],
  },
];

for (const { name, birth, expected } of ageCases) {
  void test(`D9 ${name}`, () => {
    assertFindings(runCheck(ageAtTriageRule, buildClient({ dateOfBirth: isoDate(birth) }), context), expected);
  });
}

void test('D9 follows a changed minimum age', () => {
  const client = buildClient({ dateOfBirth: isoDate('2004-01-15') });
  assertFindings(runCheck(ageAtTriageRule, client, buildRuleContext({ minimumAgeAtTriage: 21 })), [
    { code: 'D9', severity: 'warning', ...onClient, line: 2, field: 'DOB', value: '15/01/2004', mentions: ['20', '21 to 100'] },
  ]);
});

void test('D9 skips a missing date of birth', () => {
  assertFindings(runCheck(ageAtTriageRule, buildClient({ dateOfBirth: undefined }), context), []);
});
