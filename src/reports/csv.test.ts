import assert from 'node:assert/strict';
import { test } from 'node:test';
import { disclosedTableToCsv, toCsv } from './csv.js';
import { suppressTable, withTotals } from './suppression.js';

const bom = '\uFEFF';

await test('toCsv writes header and rows', () => {
  const csv = toCsv({ header: ['Month', 'Clients'], rows: [['2024-03', 7], ['2024-04', 0]] }, { bom: false });
  assert.equal(csv, 'Month,Clients\r\n2024-03,7\r\n2024-04,0\r\n');
});

await test('toCsv starts with a BOM by default', () => {
  const csv = toCsv({ header: ['Name'], rows: [['Café']] });
  assert.equal(csv, `${bom}Name\r\nCafé\r\n`);
});

await test('toCsv escapes formula openers', () => {
  const cases: [string, string][] = [
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+44 20 7946 0000', "'+44 20 7946 0000"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tindented', "'\tindented"],
  ];
  for (const [cell, expected] of cases) {
    assert.equal(toCsv({ header: ['x'], rows: [[cell]] }, { bom: false }), `x\r\n${expected}\r\n`, JSON.stringify(cell));
  }
});

await test('toCsv escapes a leading carriage return', () => {
  // The cell contains a line break, so it is also quoted.
  assert.equal(toCsv({ header: ['x'], rows: [['\rline']] }, { bom: false }), `x\r\n"'\rline"\r\n`);
});

await test('toCsv quotes line breaks in a cell', () => {
  assert.equal(toCsv({ header: ['x'], rows: [['first\nsecond']] }, { bom: false }), 'x\r\n"first\nsecond"\r\n');
});

await test('toCsv escapes the header too', () => {
  assert.equal(toCsv({ header: ['=1+1'], rows: [] }, { bom: false }), "'=1+1\r\n");
});

await test('toCsv keeps negative numbers numeric', () => {
  assert.equal(toCsv({ header: ['Change'], rows: [[-3], [12.5]] }, { bom: false }), 'Change\r\n-3\r\n12.5\r\n');
});

await test('toCsv leaves an inner equals sign alone', () => {
  assert.equal(toCsv({ header: ['x'], rows: [['a=b']] }, { bom: false }), 'x\r\na=b\r\n');
});

await test('toCsv quotes commas and quotes', () => {
  assert.equal(toCsv({ header: ['x'], rows: [['Smith, "J"']] }, { bom: false }), 'x\r\n"Smith, ""J"""\r\n');
});

await test('toCsv writes empty cells as empty', () => {
  assert.equal(toCsv({ header: ['a', 'b', 'c'], rows: [[null, undefined, '']] }, { bom: false }), 'a,b,c\r\n,,\r\n');
});

await test('toCsv rejects a short row', () => {
  assert.throws(() => toCsv({ header: ['a', 'b'], rows: [['only one']] }), {
    name: 'RangeError',
    message: 'CSV row 1 has 1 cells but the header has 2. Give every row one cell per header column.',
  });
});

await test('disclosedTableToCsv adds totals', () => {
  // Row A: 3 is hidden and so is 10, its smallest neighbour; column X then hides B/X (12)
  // and column Y hides B/Y (15), as in the suppression cascade test.
  const disclosed = suppressTable(withTotals(['A', 'B'], ['X', 'Y', 'Z'], [[3, 10, 20], [12, 15, 30]]));
  const csv = toCsv(disclosedTableToCsv(disclosed, 'Group'), { bom: false });

  assert.equal(csv, 'Group,X,Y,Z,Total\r\nA,*,*,20,35\r\nB,*,*,30,55\r\nTotal,15,25,50,90\r\n');
});
