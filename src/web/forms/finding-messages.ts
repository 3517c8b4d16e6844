import { cdsQDataset, isSubInterventionField } from '../../dataset/index.js';
import type { Dataset } from '../../dataset/index.js';
import { formatUkDate } from '../render.js';

/**
 * Web wording of rule findings. Rules word their messages for data officers, who read them
 * next to the file layout: they name columns by code (METHDOSE), sub-interventions by code
 * (PHMETHMNT), a sub-intervention review as a "SIR", a tick as "marked Y", and dates as
 * DD/MM/YYYY. A keyworker reads the same finding on a form or a client record, where the
 * fields carry labels.
 * The CLI and the file validator keep the rules' own wording.
 */

// One pass over the message matches three alternatives, tried in order. The first is a record
// reference such as "review R-12" or "episode E1", whose identifier is left as typed. The
// second is a code-like word of capitals and digits, with any bracketed words after it. The
// third is a DD/MM/YYYY date.
const tokenPattern = /\b(?:reviews?|[Ee]pisode|[Ii]ntervention|[Cc]lient) [A-Za-z0-9-]{1,20}\b|\b([A-Z][A-Z0-9]+)\b( \(([^()]*)\))?|\b(\d{2})\/(\d{2})\/(\d{4})\b/g;

/**
 * Rewrites a finding's message for a page shown to a keyworker. A column code becomes the
 * field's label and a sub-intervention code the item's name in quotes. "SIR" becomes
 * "review", "marked Y" becomes "ticked", and a DD/MM/YYYY date reads 5 December 2026.
 * Words that are not codes of the dataset, such as OST or NDTMS, are kept.
 */
export function presentFindingMessage(message: string, dataset: Dataset = cdsQDataset): string {
  // NOTE: the phrase rewrites below follow the rules' present wording ("SIR with SUBMID",
  // "marked Y", "mark the"). A rule worded otherwise keeps its phrase, though its codes and
  // dates are still rewritten.
  const delivered = dataset.conventions.deliveredCode;
  // The empty-review rule names a review as "SIR with SUBMID R1", which reads as "review R1".
  const reviewIdColumn = dataset.columnOf('review', 'reviewId');
  const plain = message
    .replaceAll(`SIR with ${reviewIdColumn} `, 'SIR ')
    .replace(/\bSIR(s?)\b/g, 'review$1')
    .replace(new RegExp(`\\bmarked ${delivered}\\b`, 'g'), 'ticked')
    .replace(/\bunmark\b/g, 'untick')
    .replace(/\b([Mm])ark the\b/g, (_match: string, initial: string) => `${initial === 'M' ? 'T' : 't'}ick the`);

  return plain.replace(tokenPattern, (match: string, code: string | undefined, bracketed: string | undefined, bracketText: string | undefined, day: string | undefined, month: string | undefined, year: string | undefined, offset: number) => {
    if (code !== undefined) return codeText(dataset, code, bracketed, bracketText, isSentenceStart(plain, offset));
    if (day !== undefined && month !== undefined && year !== undefined) return formatUkDate(`${year}-${month}-${day}`);
    return match;
  });
}

/**
 * Replaces a code-like word with the field's label or the item's quoted name when the dataset
 * defines it, and otherwise keeps it. "PHMETHMNT (Methadone – opioid maintenance)" gives the
 * name once, because the brackets already contain it.
 */
function codeText(dataset: Dataset, code: string, bracketed: string | undefined, bracketText: string | undefined, atSentenceStart: boolean): string {
  const field = dataset.fieldNamed(code);
  const rest = bracketed ?? '';
  if (field === undefined) return `${code}${rest}`;
  if (isSubInterventionField(field)) {
    const name = dataset.subIntervention(code)?.name ?? field.label;
    return bracketText === name ? `"${name}"` : `"${name}"${rest}`;
  }
  const label = atSentenceStart ? field.label : lowerFirstWord(field.label);
  return bracketText === field.label ? label : `${label}${rest}`;
}

/** Lowers the first letter of a label for use inside a sentence, except in an acronym such as "OST". */
function lowerFirstWord(label: string): string {
  const second = label.charAt(1);
  if (second !== '' && second === second.toUpperCase() && second !== second.toLowerCase()) return label;
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/** True when `offset` is the start of the message or of a sentence in it. */
function isSentenceStart(text: string, offset: number): boolean {
  const before = text.slice(0, offset).trimEnd();
  return before === '' || /[.!?]$/.test(before);
}
