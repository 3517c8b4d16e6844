import type { Dataset } from '../dataset/index.js';
import type { Finding } from '../rules/finding.js';
import { makeFinding } from '../rules/make-finding.js';
import { ruleFor } from '../rules/registry.js';

/**
 * Checks the header row against the dataset's fields (rule D11). Returns one finding
 * naming every missing, unknown or repeated field, or the first field out of place, or
 * nothing when the header matches exactly.
 */
export function checkHeader(header: readonly string[], dataset: Dataset, line: number): Finding | undefined {
  const expected = dataset.header;
  if (header.length === expected.length && header.every((name, index) => name === expected[index])) return undefined;

  const known = new Set(expected);
  const given = new Set(header);
  const missing = expected.filter((name) => !given.has(name));
  const unknown = header.filter((name) => !known.has(name));
  const repeated = header.filter((name, index) => known.has(name) && header.indexOf(name) !== index);

  const problems: string[] = [];
  if (missing.length > 0) problems.push(`is missing ${listOf(missing)}`);
  if (unknown.length > 0) problems.push(`has unknown ${unknown.length === 1 ? 'field' : 'fields'} ${listOf(unknown.map(shown))}`);
  if (repeated.length > 0) problems.push(`repeats ${listOf(repeated)}`);
  const misplaced = problems.length === 0 ? firstMisplaced(header, expected) : undefined;
  if (misplaced) problems.push(`has ${misplaced.given} in column ${misplaced.column}, where ${misplaced.expected} belongs`);

  const field = missing[0] ?? unknown[0] ?? repeated[0] ?? misplaced?.given ?? expected[0] ?? '';
  const value = missing.length > 0 ? '' : field;
  return makeFinding(ruleFor('D11'), {
    line,
    field,
    value,
    message:
      `The header ${problems.join(', and ')}. ` +
      `The first row must name the ${expected.length} ${dataset.name} fields in order, from ${expected[0] ?? ''} to ${expected[expected.length - 1] ?? ''}, ` +
      `each spelt exactly as the dataset spells it. No other row was checked.`,
  });
}

function firstMisplaced(header: readonly string[], expected: readonly string[]): { column: number; given: string; expected: string } | undefined {
  const index = header.findIndex((name, column) => name !== expected[column]);
  if (index === -1) return undefined;
  return { column: index + 1, given: header[index] ?? '', expected: expected[index] ?? '' };
}

function shown(name: string): string {
  return name === '' ? '(an empty name)' : `"${name}"`;
}

/** Lists names for a message, with at most ten shown so the message stays one readable line. */
function listOf(names: readonly string[]): string {
  const shownNames = names.slice(0, 10);
  const rest = names.length - shownNames.length;
  const list = shownNames.length > 1 ? `${shownNames.slice(0, -1).join(', ')} and ${shownNames[shownNames.length - 1] ?? ''}` : (shownNames[0] ?? '');
  return rest > 0 ? `${shownNames.join(', ')} and ${rest} more` : list;
}
