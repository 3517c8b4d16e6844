/** Full-width digits (U+FF10 to U+FF19) and the full-width full stop (U+FF0E). */
const fullWidthNumberCharacters = /[\uFF0E\uFF10-\uFF19]/g;

/**
 * Replaces full-width digits and full stops with their ASCII forms, as Unicode NFKC
 * normalisation does, so "６０" reads as 60. Japanese, Chinese and Korean input methods
 * type these forms. Other characters that NFKC maps to digits, such as superscript "²" or
 * circled "①", are left for the parser to reject, because they are more likely a mistake
 * than a number.
 */
export function asciiDigits(text: string): string {
  return text.replace(fullWidthNumberCharacters, (character) => character.normalize('NFKC'));
}
