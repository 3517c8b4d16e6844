import { randomBytes } from 'node:crypto';

// Letters and digits that cannot be misread for each other (no 0/O or 1/I).
const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Makes a new record reference such as `R-7KQ2M9XA`: a prefix letter, a hyphen and 8
 * characters, within the dataset's 20-character identifier format. Forms carry it in a
 * hidden field from the moment they are shown, so it is also the idempotency key: a
 * second submission of the same form finds the record the first one saved.
 */
export function newReference(prefix: string): string {
  const bytes = randomBytes(8);
  let text = '';
  for (const byte of bytes) text += alphabet[byte % alphabet.length];
  return `${prefix}-${text}`;
}
