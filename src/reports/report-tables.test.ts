import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Client, Intervention } from '../domain/model.js';
import { reportCatalogue, reportNamed, reportNames } from './catalogue.js';
import { clientsInTreatmentReport } from './clients-in-treatment.js';
import { ostDoseReport } from './ost-doses.js';
import { recoverySupportUptakeReport } from './recovery-support-uptake.js';
import { reportFixture } from './report-fixture.js';
import {
  clientsInTreatmentTable,
  ostDosesTable,
  recoverySupportTable,
  showTable,
  subInterventionsTable,
  waitingTimesTable,
  type ReportTable,
} from './report-tables.js';
import { subInterventionsDeliveredReport } from './sub-interventions-delivered.js';
import { withTotals } from './suppression.js';
import { waitingTimesReport } from './waiting-times.js';

const march2024 = { year: 2024, month: 3 };

function rowLabelled(rows: unknown[][], label: string): unknown[] {
  const found = rows.find((row) => row[0] === label);
  assert.ok(found, `row ${label} missing`);
  return found;
}

await test('recovery support table, exact counts', () => {
  const shown = showTable(recoverySupportTable(recoverySupportUptakeReport(reportFixture(), march2024)), false);

  assert.deepEqual(shown.csv.header, ['Clients in the month', 'Clients']);
  // 7 in treatment, 4 of them with recovery support; C7 supported after discharge.
  assert.deepEqual(shown.csv.rows, [
    ['In treatment, with recovery support in the month', 4],
    ['In treatment, without recovery support in the month', 3],
    ['Discharged before the month, with recovery support in it', 1],
    ['Total', 8],
  ]);
  assert.deepEqual(shown.suppressed, []);
});

await test('recovery support table, shareable', () => {
  const shown = showTable(recoverySupportTable(recoverySupportUptakeReport(reportFixture(), march2024)), true);

  // 4, 3 and 1 are each from 1 to 4; the total of 8 rounds to 10.
  assert.deepEqual(shown.csv.rows, [
    ['In treatment, with recovery support in the month', '*'],
    ['In treatment, without recovery support in the month', '*'],
    ['Discharged before the month, with recovery support in it', '*'],
    ['Total', 10],
  ]);
  assert.ok(shown.suppressed.length >= 3, 'each hidden cell has a reason');
});

await test('waiting times table by type', () => {
  const table = waitingTimesTable(waitingTimesReport(reportFixture(), march2024));
  const shown = showTable(table, false);

  assert.equal(table.additive, true);
  assert.deepEqual(shown.csv.header, ['Intervention type', 'Within 21 days', 'Over 21 days', 'Total']);
  // 94: C8 waited 59 days. 95: C2 waited 13. 96: C8 waited 21, within the target.
  assert.deepEqual(shown.csv.rows, [
    ['Pharmacological (94)', 0, 1, 1],
    ['Psychosocial (95)', 1, 0, 1],
    ['Recovery support (96)', 1, 0, 1],
    ['Total', 2, 1, 3],
  ]);
});

await test('waiting times table without a type', () => {
  const clients = reportFixture();
  const psychosocial = (clients[1] as Client).episodes[0]?.interventions[1] as Intervention;
  psychosocial.interventionType = undefined;

  const shown = showTable(waitingTimesTable(waitingTimesReport(clients, march2024)), false);

  assert.deepEqual(rowLabelled(shown.csv.rows, 'Psychosocial (95)'), ['Psychosocial (95)', 0, 0, 0]);
  assert.deepEqual(rowLabelled(shown.csv.rows, 'Type not recorded'), ['Type not recorded', 1, 0, 1]);
  assert.deepEqual(rowLabelled(shown.csv.rows, 'Total'), ['Total', 2, 1, 3]);
});

await test('ost doses table by band', () => {
  const shown = showTable(ostDosesTable(ostDoseReport(reportFixture(), march2024)), false);

  assert.deepEqual(shown.csv.header, ['Medication and daily dose', 'Clients']);
  assert.deepEqual(shown.csv.rows, [
    ['Oral methadone: 0 to 30 ml', 0],
    ['Oral methadone: 30.1 to 60 ml', 0],
    ['Oral methadone: 60.1 to 90 ml', 1],
    ['Oral methadone: 90.1 to 120 ml', 1],
    ['Oral methadone: over 120 ml', 0],
    ['Oral methadone: METHDOSE not recorded', 0],
    ['Oral buprenorphine: 0 to 4 mg', 1],
    ['Oral buprenorphine: 4.1 to 8 mg', 0],
    ['Oral buprenorphine: 8.1 to 12 mg', 0],
    ['Oral buprenorphine: 12.1 to 16 mg', 1],
    ['Oral buprenorphine: 16.1 to 24 mg', 0],
    ['Oral buprenorphine: over 24 mg', 0],
    ['Oral buprenorphine: BUPDOSE not recorded', 0],
    ['Total', 4],
  ]);
});

await test('clients in treatment table has no totals', () => {
  const table = clientsInTreatmentTable(clientsInTreatmentReport(reportFixture(), march2024));
  const exact = showTable(table, false);
  const shareable = showTable(table, true);

  assert.equal(table.additive, false);
  assert.deepEqual(exact.csv.header, ['Month', 'In treatment', 'Pharmacological (94)', 'Psychosocial (95)', 'Recovery support (96)']);
  assert.equal(exact.csv.rows.length, 12);
  assert.equal(exact.csv.rows.some((row) => row[0] === 'Total'), false);
  assert.deepEqual(rowLabelled(exact.csv.rows, '2024-03'), ['2024-03', 7, 5, 2, 4]);
  // 7 and 5 round to 5; 2 and 4 are hidden.
  assert.deepEqual(rowLabelled(shareable.csv.rows, '2024-03'), ['2024-03', 5, 5, '*', '*']);
  assert.ok(shareable.suppressed.some((note) => note.includes('row "2024-03", column "Psychosocial (95)"')));
});

await test('sub-interventions table by group and item', () => {
  const shown = showTable(subInterventionsTable(subInterventionsDeliveredReport(reportFixture(), march2024)), false);

  assert.deepEqual(shown.csv.header, ['Sub-intervention', 'Reviews', 'Clients']);
  // 9 reviews in March from 7 clients; psychosocial items on 3 reviews of 2 clients.
  assert.deepEqual(shown.csv.rows[0], ['All reviews in the month', 9, 7]);
  assert.deepEqual(rowLabelled(shown.csv.rows, 'Structured psychosocial: any item'), ['Structured psychosocial: any item', 3, 2]);
  const motivational = shown.csv.rows.find((row) => String(row[0]).endsWith('(PSYMOTI)'));
  assert.deepEqual(motivational?.slice(1), [2, 1]);
});

await test('shareable additive table hides a revealing cell', () => {
  const table: ReportTable = {
    name: 'example',
    title: 'Example',
    explanation: '',
    cornerLabel: 'Team',
    table: withTotals(['North', 'South'], ['Within', 'Over'], [[12, 3], [20, 7]]),
    additive: true,
  };
  const shown = showTable(table, true);

  // 3 is hidden. Then 12 is hidden so the North row cannot reveal it, 20 so the Within
  // column cannot reveal 12, and 7 so the Over column cannot reveal 3.
  assert.deepEqual(shown.csv.rows, [
    ['North', '*', '*', 15],
    ['South', '*', '*', 25],
    ['Total', 30, 10, 40],
  ]);
  for (const row of shown.csv.rows) {
    for (const cell of row.slice(1)) assert.ok(cell === '*' || cell === 0 || (typeof cell === 'number' && cell >= 5), `cell ${String(cell)} discloses a small count`);
  }
});

await test('catalogue lists the five reports', () => {
  assert.deepEqual(reportNames, ['clients-in-treatment', 'sub-interventions', 'ost-doses', 'recovery-support', 'waiting-times']);
  assert.equal(reportNamed('clients-in-treatment')?.monthsOfHistory, 12);
  assert.equal(reportNamed('unknown'), undefined);

  for (const entry of reportCatalogue) {
    const computed = entry.compute(reportFixture(), march2024);
    assert.equal(computed.table.name, entry.name);
    assert.notEqual(computed.table.explanation, '');
  }
});
