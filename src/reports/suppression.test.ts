import assert from 'node:assert/strict';
import { test } from 'node:test';
import { discloseCount, suppressTable, withTotals, type CellPosition } from './suppression.js';

await test('discloseCount hides counts from 1 to 4', () => {
  for (const count of [1, 2, 3, 4]) assert.equal(discloseCount(count), '*', `count ${count}`);
});

await test('discloseCount keeps zero as zero', () => {
  assert.equal(discloseCount(0), 0);
});

await test('discloseCount shows 5 as 5', () => {
  assert.equal(discloseCount(5), 5);
});

await test('discloseCount rounds 7 down to 5', () => {
  assert.equal(discloseCount(7), 5);
});

await test('discloseCount rounds 8 up to 10', () => {
  assert.equal(discloseCount(8), 10);
});

await test('discloseCount rounds either side of 12.5', () => {
  // Whole counts never fall halfway: 12 is nearer 10, 13 is nearer 15.
  assert.equal(discloseCount(12), 10);
  assert.equal(discloseCount(13), 15);
});

await test('discloseCount rejects the fraction 12.5', () => {
  assert.throws(() => discloseCount(12.5), { name: 'RangeError', message: 'The count is 12.5, but a count must be a whole number of 0 or more.' });
});

await test('discloseCount rejects a negative count', () => {
  assert.throws(() => discloseCount(-1), { name: 'RangeError', message: 'The count is -1, but a count must be a whole number of 0 or more.' });
});

function secondaryPositions(result: ReturnType<typeof suppressTable>): CellPosition[] {
  return result.suppressed.filter((entry) => entry.reason === 'secondary').map((entry) => entry.position);
}

await test('suppressTable leaves a table of large counts rounded only', () => {
  const result = suppressTable(withTotals(['A', 'B'], ['X', 'Y'], [[10, 12], [8, 27]]));

  assert.deepEqual(result.cells, [[10, 10], [10, 25]]);
  // Row totals 22 and 35, column totals 18 and 39, grand total 57.
  assert.deepEqual(result.rowTotals, [20, 35]);
  assert.deepEqual(result.columnTotals, [20, 40]);
  assert.equal(result.grandTotal, 55);
  assert.deepEqual(result.suppressed, []);
});

await test('suppressTable hides a second cell on a row', () => {
  // Primary: A/X 3, B/X 2, B/Y 4. Columns X and Y and row B already contain two hidden
  // cells each, but row A contains one, so its smallest other cell (A/Y, 10) is hidden.
  const result = suppressTable(withTotals(['A', 'B'], ['X', 'Y', 'Z'], [[3, 10, 20], [2, 4, 30]]));

  assert.deepEqual(result.cells, [['*', '*', 20], ['*', '*', 30]]);
  assert.deepEqual(result.rowTotals, [35, 35]); // 33 and 36
  assert.deepEqual(result.columnTotals, [5, 15, 50]); // 5, 14 and 50
  assert.equal(result.grandTotal, 70); // 69
  assert.deepEqual(secondaryPositions(result), [{ kind: 'cell', row: 0, column: 1 }]);

  const secondary = result.suppressed.find((entry) => entry.reason === 'secondary');
  assert.equal(
    secondary?.explanation,
    'The cell in row "A", column "Y" is shown as * because otherwise the row "A" and its total would reveal the cell in row "A", column "X", which is hidden.',
  );
  assert.equal(result.suppressed.filter((entry) => entry.reason === 'primary').length, 3);
});

await test('suppressTable hides a second cell in a column', () => {
  // Primary: A/X 3 and A/Y 4, so row A is safe. Each column contains one hidden cell,
  // so B/X (10) and B/Y (20) are hidden too.
  const result = suppressTable(withTotals(['A', 'B'], ['X', 'Y'], [[3, 4], [10, 20]]));

  assert.deepEqual(result.cells, [['*', '*'], ['*', '*']]);
  assert.deepEqual(result.rowTotals, [5, 30]); // 7 and 30
  assert.deepEqual(result.columnTotals, [15, 25]); // 13 and 24
  assert.equal(result.grandTotal, 35); // 37
  assert.deepEqual(secondaryPositions(result), [
    { kind: 'cell', row: 1, column: 0 },
    { kind: 'cell', row: 1, column: 1 },
  ]);
  assert.match(result.suppressed[2]?.explanation ?? '', /otherwise the column "X" and its total/);
});

await test('suppressTable cascades until every line is safe', () => {
  // Primary: A/X 3. Row A then hides A/Y (10, smaller than 20); column X hides B/X (12);
  // column Y, now containing the secondary A/Y alone, hides B/Y (15). Row B then contains two.
  const result = suppressTable(withTotals(['A', 'B'], ['X', 'Y', 'Z'], [[3, 10, 20], [12, 15, 30]]));

  assert.deepEqual(result.cells, [['*', '*', 20], ['*', '*', 30]]);
  assert.deepEqual(result.rowTotals, [35, 55]); // 33 and 57
  assert.deepEqual(result.columnTotals, [15, 25, 50]);
  assert.equal(result.grandTotal, 90);
  assert.deepEqual(secondaryPositions(result), [
    { kind: 'cell', row: 0, column: 1 },
    { kind: 'cell', row: 1, column: 0 },
    { kind: 'cell', row: 1, column: 1 },
  ]);
  assert.match(result.suppressed[3]?.explanation ?? '', /column "Y" and its total would reveal the cell in row "A", column "Y"/);
});

await test('suppressTable protects a hidden column total', () => {
  // Primary: A/X 2, B/X 1 and the column X total 3. Rows A and B each hide their other
  // cell (10, 20). The row of column totals contains the X total alone beside the grand
  // total, so the Y total (30) is hidden as well.
  const result = suppressTable(withTotals(['A', 'B'], ['X', 'Y'], [[2, 10], [1, 20]]));

  assert.deepEqual(result.cells, [['*', '*'], ['*', '*']]);
  assert.deepEqual(result.rowTotals, [10, 20]); // 12 and 21
  assert.deepEqual(result.columnTotals, ['*', '*']);
  assert.equal(result.grandTotal, 35); // 33
  assert.deepEqual(secondaryPositions(result), [
    { kind: 'cell', row: 0, column: 1 },
    { kind: 'cell', row: 1, column: 1 },
    { kind: 'column-total', column: 1 },
  ]);
  const primaryTotal = result.suppressed.find((entry) => entry.position.kind === 'column-total' && entry.reason === 'primary');
  assert.equal(primaryTotal?.explanation, 'The total of column "X" is a count from 1 to 4, so it is shown as *.');
});

await test('suppressTable never hides a zero as the second cell', () => {
  // Row A: 3, 0, 10. The zero is passed over and A/Z (10) is hidden, then columns X and
  // Z each hide their row B cell.
  const result = suppressTable(withTotals(['A', 'B'], ['X', 'Y', 'Z'], [[3, 0, 10], [5, 0, 20]]));

  assert.deepEqual(result.cells, [['*', 0, '*'], ['*', 0, '*']]);
  assert.deepEqual(secondaryPositions(result), [
    { kind: 'cell', row: 0, column: 2 },
    { kind: 'cell', row: 1, column: 0 },
    { kind: 'cell', row: 1, column: 2 },
  ]);
});

await test('suppressTable never names the hidden count', () => {
  const result = suppressTable(withTotals(['A', 'B'], ['X', 'Y', 'Z'], [[3, 10, 20], [12, 15, 30]]));
  // The hidden counts are 3, 10, 12 and 15. The words "1 to 4" state the rule, not a count.
  for (const entry of result.suppressed) assert.doesNotMatch(entry.explanation, /\b(3|10|12|15)\b/, entry.explanation);
});

await test('suppressTable rejects a row of the wrong length', () => {
  assert.throws(() => suppressTable(withTotals(['A'], ['X', 'Y'], [[1]])), {
    name: 'RangeError',
    message: 'Row 1 has 1 counts but the table has 2 columns. Give one count per column.',
  });
});

await test('suppressTable rejects a fractional cell', () => {
  assert.throws(() => suppressTable(withTotals(['A'], ['X'], [[2.5]])), {
    name: 'RangeError',
    message: 'The count in row 1, column 1 is 2.5, but a count must be a whole number of 0 or more.',
  });
});

await test('withTotals sums rows, columns and grand total', () => {
  const table = withTotals(['A', 'B'], ['X', 'Y'], [[1, 2], [3, 4]]);
  assert.deepEqual(table.rowTotals, [3, 7]);
  assert.deepEqual(table.columnTotals, [4, 6]);
  assert.equal(table.grandTotal, 10);
});
