/**
 * Control characters (Unicode category Cc, such as NUL and escape) and format characters
 * (Cf, such as the right-to-left override). Neither shows as text, and a format character
 * can reorder the words around it, so a page removes them before showing typed text again.
 */
const unprintableCharacter = /[\p{Cc}\p{Cf}]/u;
const unprintableCharacters = /[\p{Cc}\p{Cf}]/gu;

/** Returns true when the text contains a character that `printableText` removes. */
export function hasUnprintable(text: string): boolean {
  return unprintableCharacter.test(text);
}

/** Removes control and format characters, so typed text can be shown again in a page. */
export function printableText(text: string): string {
  return text.replace(unprintableCharacters, '');
}
