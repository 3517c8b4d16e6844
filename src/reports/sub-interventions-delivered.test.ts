import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportFixture } from './report-fixture.js';
import { subInterventionsDeliveredExplanation, subInterventionsDeliveredReport, type GroupCount } from './sub-interventions-delivered.js';

const march2024 = { year: 2024, month: 3 };

// Reviews dated in March 2024 and what they mark:
//   C1 31 Mar: PHMETHMNT, RECPEER     C2 10 Mar: PHBNXMNT, PSYMOTI    C2 25 Mar: PHBNXMNT, PSYMOTI
//   C3 14 Mar: PSYCGBH                C3 31 Mar (after discharge): RECCHKP
//   C5  1 Mar: PHMETHMNT, RECMAID     C6 20 Mar: PHBUDIMNT             C7 12 Mar (after discharge): RECPEER
//   C8 31 Mar: PHBUPMNT, RECEMP
// C5's review of 1 April and C7's of 29 February are outside the month.

function groupNamed(groups: GroupCount[], group: GroupCount['group']): GroupCount {
  const found = groups.find((entry) => entry.group === group);
  assert.ok(found, `group ${group} missing from the report`);
  return found;
}

await test('sub-interventions in the month overall', () => {
  const report = subInterventionsDeliveredReport(reportFixture(), march2024);

  // 9 reviews listed above, from 7 clients: C1, C2, C3, C5, C6, C7, C8.
  assert.equal(report.reviews, 9);
  assert.equal(report.clients, 7);
  assert.equal(report.explanation, subInterventionsDeliveredExplanation);
  assert.deepEqual(report.groups.map((group) => group.label), ['Structured psychosocial', 'Structured pharmacological', 'Recovery support']);
});

await test('sub-interventions psychosocial group', () => {
  const psychosocial = groupNamed(subInterventionsDeliveredReport(reportFixture(), march2024).groups, 'structured-psychosocial');

  // Reviews: C2 10 Mar, C2 25 Mar, C3 14 Mar = 3, from clients C2 and C3 = 2.
  assert.equal(psychosocial.reviews, 3);
  assert.equal(psychosocial.clients, 2);
  // PSYMOTI twice for C2; PSYCGBH once for C3.
  assert.deepEqual(
    psychosocial.items.map((item) => [item.code, item.reviews, item.clients]),
    [['PSYMOTI', 2, 1], ['PSYCGBH', 1, 1]],
  );
});

await test('sub-interventions pharmacological group', () => {
  const pharmacological = groupNamed(subInterventionsDeliveredReport(reportFixture(), march2024).groups, 'structured-pharmacological');

  // Reviews: C1, C2 twice, C5, C6, C8 = 6, from 5 clients.
  assert.equal(pharmacological.reviews, 6);
  assert.equal(pharmacological.clients, 5);
  // Dataset column order: methadone, then buprenorphine, then buprenorphine with naloxone, then depot.
  assert.deepEqual(
    pharmacological.items.map((item) => [item.code, item.reviews, item.clients]),
    [['PHMETHMNT', 2, 2], ['PHBUPMNT', 1, 1], ['PHBNXMNT', 2, 1], ['PHBUDIMNT', 1, 1]],
  );
});

await test('sub-interventions recovery group', () => {
  const recovery = groupNamed(subInterventionsDeliveredReport(reportFixture(), march2024).groups, 'recovery-support');

  // Reviews: C1, C3 after discharge, C5, C7 after discharge, C8 = 5, one each from 5 clients.
  assert.equal(recovery.reviews, 5);
  assert.equal(recovery.clients, 5);
  assert.deepEqual(
    recovery.items.map((item) => [item.code, item.reviews, item.clients]),
    [['RECPEER', 2, 2], ['RECMAID', 1, 1], ['RECEMP', 1, 1], ['RECCHKP', 1, 1]],
  );
});

await test('sub-interventions across the year end', () => {
  // 31 March (last day, clocks go forward) belongs to March; 1 April to April only.
  const april = subInterventionsDeliveredReport(reportFixture(), { year: 2024, month: 4 });

  // Only C5's review of 1 April 2024: PHMETHMNT.
  assert.equal(april.reviews, 1);
  assert.deepEqual(
    april.groups.map((group) => [group.group, group.reviews]),
    [['structured-psychosocial', 0], ['structured-pharmacological', 1], ['recovery-support', 0]],
  );
  assert.deepEqual(groupNamed(april.groups, 'structured-pharmacological').items.map((item) => item.code), ['PHMETHMNT']);
});
