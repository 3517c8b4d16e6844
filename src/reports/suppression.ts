/**
 * Disclosure control for counts shared outside the service, following the NDTMS public
 * practice: a count of 1 to 4 is shown as `*`, and every other count is rounded to the
 * nearest 5, with 0 shown as 0.
 */

export type DisclosedCount = number | '*';

/** A table of exact counts with its margins, as computed before any disclosure control. */
export interface CountTable {
  rowLabels: string[];
  columnLabels: string[];
  /** `counts[row][column]`, whole numbers of zero or more. */
  counts: number[][];
  rowTotals: number[];
  columnTotals: number[];
  grandTotal: number;
}

/** A position in the table, the margins included. */
export type CellPosition =
  | { kind: 'cell'; row: number; column: number }
  | { kind: 'row-total'; row: number }
  | { kind: 'column-total'; column: number }
  | { kind: 'grand-total' };

export interface SuppressedCell {
  position: CellPosition;
  /** `primary`: the count is 1 to 4. `secondary`: hidden so that a total cannot reveal another hidden count. */
  reason: 'primary' | 'secondary';
  /** The reason the cell is hidden, naming rows and columns but never the hidden count. */
  explanation: string;
}

export interface DisclosedTable {
  rowLabels: string[];
  columnLabels: string[];
  cells: DisclosedCount[][];
  rowTotals: DisclosedCount[];
  columnTotals: DisclosedCount[];
  grandTotal: DisclosedCount;
  suppressed: SuppressedCell[];
}

const smallestShownCount = 5;
const roundingBase = 5;

/**
 * Applies primary suppression and rounding to one count.
 *
 * Counts are whole numbers, so a count never lies halfway between two multiples of 5:
 * 12 rounds down to 10 and 13 rounds up to 15. A fractional value such as 12.5 is not a
 * count and is rejected rather than rounded.
 */
export function discloseCount(count: number): DisclosedCount {
  assertCount(count, 'The count');
  if (count === 0) return 0;
  if (count < smallestShownCount) return '*';
  return Math.round(count / roundingBase) * roundingBase;
}

/**
 * Applies disclosure control to a table with totals.
 *
 * Primary suppression hides every count from 1 to 4, totals included. Secondary
 * suppression then looks at each row and column together with its total, and at the
 * row of column totals and the column of row totals with the grand total. Where exactly
 * one member of such a line is hidden, the shown total and the shown cells would let a
 * reader work it out, so the smallest other non-zero cell of the line is hidden too.
 * This repeats until no line has exactly one hidden member. Zeros are never chosen,
 * because a reader can often tell a zero from the table's meaning and it would then
 * protect nothing. If a line has no non-zero cell left to hide, its total is hidden.
 */
export function suppressTable(table: CountTable): DisclosedTable {
  assertTableShape(table);
  const grid = marginGrid(table);
  const hidden = new Map<string, SuppressedCell>();

  for (const position of allPositions(table)) {
    const count = valueAt(grid, position);
    if (count >= 1 && count < smallestShownCount) {
      hidden.set(keyOf(position), { position, reason: 'primary', explanation: primaryExplanation(table, position) });
    }
  }

  applySecondarySuppression(table, grid, hidden);
  return buildDisclosedTable(table, grid, hidden);
}

/** Sums the rows and columns of a count grid, for tables whose totals are plain sums. */
export function withTotals(rowLabels: string[], columnLabels: string[], counts: number[][]): CountTable {
  const rowTotals = counts.map((row) => row.reduce((sum, count) => sum + count, 0));
  const columnTotals = columnLabels.map((_, column) => counts.reduce((sum, row) => sum + (row[column] ?? 0), 0));
  const grandTotal = rowTotals.reduce((sum, count) => sum + count, 0);
  return { rowLabels, columnLabels, counts, rowTotals, columnTotals, grandTotal };
}

/** A row or column with the total that its members add up to. */
interface Line {
  name: string;
  members: CellPosition[];
  total: CellPosition;
}

function applySecondarySuppression(table: CountTable, grid: number[][], hidden: Map<string, SuppressedCell>): void {
  const lines = allLines(table);
  let changed = true;
  // Each pass hides at least one more cell or stops, so the loop ends within the cell count.
  while (changed) {
    changed = false;
    for (const line of lines) {
      const everyMember = [...line.members, line.total];
      const hiddenMembers = everyMember.filter((position) => hidden.has(keyOf(position)));
      if (hiddenMembers.length !== 1) continue;

      const choice = secondaryChoice(line, grid, hidden);
      if (choice === undefined) continue;
      hidden.set(keyOf(choice), {
        position: choice,
        reason: 'secondary',
        explanation: secondaryExplanation(table, choice, line, hiddenMembers[0] as CellPosition),
      });
      changed = true;
    }
  }
}

/** Picks the smallest non-zero shown member of the line (the first on a tie), or else the line's total. */
function secondaryChoice(line: Line, grid: number[][], hidden: Map<string, SuppressedCell>): CellPosition | undefined {
  let best: CellPosition | undefined;
  for (const position of line.members) {
    if (hidden.has(keyOf(position))) continue;
    const count = valueAt(grid, position);
    if (count === 0) continue;
    if (best === undefined || count < valueAt(grid, best)) best = position;
  }
  if (best !== undefined) return best;
  return hidden.has(keyOf(line.total)) ? undefined : line.total;
}

function allLines(table: CountTable): Line[] {
  const rows = table.rowLabels.map((label, row): Line => ({
    name: `row "${label}"`,
    members: table.columnLabels.map((_, column): CellPosition => ({ kind: 'cell', row, column })),
    total: { kind: 'row-total', row },
  }));
  const columns = table.columnLabels.map((label, column): Line => ({
    name: `column "${label}"`,
    members: table.rowLabels.map((_, row): CellPosition => ({ kind: 'cell', row, column })),
    total: { kind: 'column-total', column },
  }));
  const columnTotals: Line = {
    name: 'row of column totals',
    members: table.columnLabels.map((_, column): CellPosition => ({ kind: 'column-total', column })),
    total: { kind: 'grand-total' },
  };
  const rowTotals: Line = {
    name: 'column of row totals',
    members: table.rowLabels.map((_, row): CellPosition => ({ kind: 'row-total', row })),
    total: { kind: 'grand-total' },
  };
  return [...rows, ...columns, columnTotals, rowTotals];
}

/** Builds one grid of the counts, with the row totals as an extra column and the column totals as an extra row. */
function marginGrid(table: CountTable): number[][] {
  const body = table.counts.map((row, index) => [...row, table.rowTotals[index] as number]);
  return [...body, [...table.columnTotals, table.grandTotal]];
}

function valueAt(grid: number[][], position: CellPosition): number {
  const { row, column } = gridIndex(grid, position);
  return grid[row]?.[column] as number;
}

function gridIndex(grid: number[][], position: CellPosition): { row: number; column: number } {
  const lastRow = grid.length - 1;
  const lastColumn = (grid[0]?.length ?? 1) - 1;
  switch (position.kind) {
    case 'cell':
      return { row: position.row, column: position.column };
    case 'row-total':
      return { row: position.row, column: lastColumn };
    case 'column-total':
      return { row: lastRow, column: position.column };
    case 'grand-total':
      return { row: lastRow, column: lastColumn };
  }
}

function allPositions(table: CountTable): CellPosition[] {
  const positions: CellPosition[] = [];
  table.rowLabels.forEach((_, row) => {
    table.columnLabels.forEach((__, column) => positions.push({ kind: 'cell', row, column }));
    positions.push({ kind: 'row-total', row });
  });
  table.columnLabels.forEach((_, column) => positions.push({ kind: 'column-total', column }));
  positions.push({ kind: 'grand-total' });
  return positions;
}

function keyOf(position: CellPosition): string {
  switch (position.kind) {
    case 'cell':
      return `cell:${position.row}:${position.column}`;
    case 'row-total':
      return `row-total:${position.row}`;
    case 'column-total':
      return `column-total:${position.column}`;
    case 'grand-total':
      return 'grand-total';
  }
}

function buildDisclosedTable(table: CountTable, grid: number[][], hidden: Map<string, SuppressedCell>): DisclosedTable {
  const displayedValue = (position: CellPosition): DisclosedCount =>
    hidden.has(keyOf(position)) ? '*' : discloseCount(valueAt(grid, position));

  return {
    rowLabels: [...table.rowLabels],
    columnLabels: [...table.columnLabels],
    cells: table.rowLabels.map((_, row) => table.columnLabels.map((__, column) => displayedValue({ kind: 'cell', row, column }))),
    rowTotals: table.rowLabels.map((_, row) => displayedValue({ kind: 'row-total', row })),
    columnTotals: table.columnLabels.map((_, column) => displayedValue({ kind: 'column-total', column })),
    grandTotal: displayedValue({ kind: 'grand-total' }),
    suppressed: [...hidden.values()],
  };
}

function describePosition(table: CountTable, position: CellPosition): string {
  switch (position.kind) {
    case 'cell':
      return `the cell in row "${table.rowLabels[position.row]}", column "${table.columnLabels[position.column]}"`;
    case 'row-total':
      return `the total of row "${table.rowLabels[position.row]}"`;
    case 'column-total':
      return `the total of column "${table.columnLabels[position.column]}"`;
    case 'grand-total':
      return 'the grand total';
  }
}

function primaryExplanation(table: CountTable, position: CellPosition): string {
  return `${capitalise(describePosition(table, position))} is a count from 1 to 4, so it is shown as *.`;
}

function secondaryExplanation(table: CountTable, position: CellPosition, line: Line, alreadyHidden: CellPosition): string {
  return (
    `${capitalise(describePosition(table, position))} is shown as * because otherwise the ${line.name} and its total ` +
    `would reveal ${describePosition(table, alreadyHidden)}, which is hidden.`
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function assertTableShape(table: CountTable): void {
  const rows = table.rowLabels.length;
  const columns = table.columnLabels.length;
  if (table.counts.length !== rows) {
    throw new RangeError(`The table has ${rows} row labels but ${table.counts.length} rows of counts. Give one row of counts per label.`);
  }
  table.counts.forEach((row, index) => {
    if (row.length !== columns) {
      throw new RangeError(`Row ${index + 1} has ${row.length} counts but the table has ${columns} columns. Give one count per column.`);
    }
    row.forEach((count, column) => assertCount(count, `The count in row ${index + 1}, column ${column + 1}`));
  });
  if (table.rowTotals.length !== rows || table.columnTotals.length !== columns) {
    throw new RangeError(
      `The table has ${table.rowTotals.length} row totals and ${table.columnTotals.length} column totals, but it needs ${rows} and ${columns}. Give one total per row and per column.`,
    );
  }
  table.rowTotals.forEach((count, row) => assertCount(count, `The total of row ${row + 1}`));
  table.columnTotals.forEach((count, column) => assertCount(count, `The total of column ${column + 1}`));
  assertCount(table.grandTotal, 'The grand total');
}

function assertCount(count: number, subject: string): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`${subject} is ${count}, but a count must be a whole number of 0 or more.`);
  }
}
