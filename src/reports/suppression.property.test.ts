import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { suppressTable, withTotals, type DisclosedCount, type DisclosedTable } from './suppression.js';

// Random tables of 1 to 4 rows and columns with counts from 0 to 30, totals being sums.
const countTables = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
  .chain(([rows, columns]) => fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows }))
  .map((counts) =>
    withTotals(
      counts.map((_, row) => `R${row + 1}`),
      (counts[0] ?? []).map((_, column) => `C${column + 1}`),
      counts,
    ),
  );

/** Lists every row and column with its total, and the two margin lines with the grand total. */
function linesOf(table: DisclosedTable): DisclosedCount[][] {
  const rows = table.cells.map((row, index) => [...row, table.rowTotals[index] as DisclosedCount]);
  const columns = table.columnLabels.map((_, column) => [...table.cells.map((row) => row[column] as DisclosedCount), table.columnTotals[column] as DisclosedCount]);
  return [...rows, ...columns, [...table.columnTotals, table.grandTotal], [...table.rowTotals, table.grandTotal]];
}

await test('suppression never leaves one hidden cell in a line', () => {
  fc.assert(
    fc.property(countTables, (table) => {
      const disclosed = suppressTable(table);
      for (const line of linesOf(disclosed)) {
        assert.notEqual(line.filter((value) => value === '*').length, 1, JSON.stringify({ counts: table.counts, line }));
      }
    }),
    { numRuns: 500, seed: 20240331 },
  );
});

await test('suppression hides every count from 1 to 4', () => {
  fc.assert(
    fc.property(countTables, (table) => {
      const disclosed = suppressTable(table);
      table.counts.forEach((row, rowIndex) =>
        row.forEach((count, column) => {
          if (count >= 1 && count <= 4) assert.equal(disclosed.cells[rowIndex]?.[column], '*');
        }),
      );
    }),
    { numRuns: 500, seed: 20240401 },
  );
});

await test('suppression shows multiples of 5 near the count', () => {
  fc.assert(
    fc.property(countTables, (table) => {
      const disclosed = suppressTable(table);
      table.counts.forEach((row, rowIndex) =>
        row.forEach((count, column) => {
          const displayed = disclosed.cells[rowIndex]?.[column];
          if (displayed === '*') return;
          assert.equal((displayed as number) % 5, 0);
          assert.ok(Math.abs((displayed as number) - count) <= 2, `${count} shown as ${displayed}`);
        }),
      );
    }),
    { numRuns: 500, seed: 20231029 },
  );
});
