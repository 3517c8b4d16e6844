import { distance } from 'fastest-levenshtein';
import type { Dataset, SubInterventionDefinition } from '../dataset/index.js';

/** Kind of item text that the search term matched best. */
export type MatchSource = 'code' | 'name' | 'search name' | 'purpose' | 'words across fields';

export interface LookupMatch {
  item: SubInterventionDefinition;
  /** Between 0 and 1, where 1 is the whole term matching a whole code, name, search name or purpose. */
  score: number;
  matchedOn: MatchSource;
  /** The code, name, search name or purpose that the term matched best. */
  matchedText: string;
}

interface SearchText {
  source: Exclude<MatchSource, 'words across fields'>;
  text: string;
}

// Score ceilings for each way of matching, so that an exact hit always ranks above a
// word-by-word hit, and a hit on one text above words gathered from several texts.
const wholeTextFuzzyCeiling = 0.9;
const allWordsCeiling = 0.8;
const wordsAcrossFieldsCeiling = 0.7;
// A purpose is shared by several items, so a purpose hit ranks just below a name hit.
const purposeWeight = 0.9;
const minimumPrefixLength = 3;

/**
 * Finds the sub-interventions that match a search term, best match first.
 *
 * The term is compared, ignoring case and punctuation, with each item's code, name,
 * search names (brands and everyday words) and purpose. Small misspellings match too:
 * the number of edits allowed grows with the length of the word. Items with equal
 * scores keep the dataset's column order. The function reads nothing but its arguments.
 */
export function lookup(dataset: Dataset, term: string): LookupMatch[] {
  const queryWords = wordsOf(term);
  if (queryWords.length === 0) return [];

  const matches: { match: LookupMatch; index: number }[] = [];
  dataset.subInterventions.forEach((item, index) => {
    const match = bestMatch(item, queryWords);
    if (match) matches.push({ match, index });
  });

  matches.sort((a, b) => b.match.score - a.match.score || a.index - b.index);
  return matches.map(({ match }) => match);
}

/** Edits allowed between a typed word and a known word: none up to 3 letters, then one per 4 letters, at most 3. */
export function allowedEdits(wordLength: number): number {
  return Math.min(3, Math.floor(wordLength / 4));
}

function bestMatch(item: SubInterventionDefinition, queryWords: string[]): LookupMatch | undefined {
  let best: LookupMatch | undefined;
  const consider = (candidate: LookupMatch): void => {
    if (candidate.score > 0 && (!best || candidate.score > best.score)) best = candidate;
  };

  const texts = searchTextsOf(item);
  for (const { source, text } of texts) {
    const weight = source === 'purpose' ? purposeWeight : 1;
    const score = textScore(queryWords, wordsOf(text)) * weight;
    consider({ item, score: rounded(score), matchedOn: source, matchedText: text });
  }

  // Words found only when the item's texts are taken together, such as "methadone maintenance".
  const allWords = texts.flatMap(({ text }) => wordsOf(text));
  const acrossScore = wordsScore(queryWords, allWords) * wordsAcrossFieldsCeiling;
  consider({ item, score: rounded(acrossScore), matchedOn: 'words across fields', matchedText: item.name });

  return best;
}

function searchTextsOf(item: SubInterventionDefinition): SearchText[] {
  const texts: SearchText[] = [
    { source: 'code', text: item.code },
    { source: 'name', text: item.name },
    ...item.searchNames.map((text): SearchText => ({ source: 'search name', text })),
  ];
  if (item.purpose !== null) texts.push({ source: 'purpose', text: item.purpose });
  return texts;
}

/** Scores the query against one text: the whole text exactly, the whole text with typos, or word by word. */
function textScore(queryWords: string[], textWords: string[]): number {
  const query = queryWords.join(' ');
  const text = textWords.join(' ');
  if (text.length === 0) return 0;
  if (query === text) return 1;

  let score = wordsScore(queryWords, textWords) * allWordsCeiling;
  const edits = distance(query, text);
  if (edits <= allowedEdits(query.length)) {
    score = Math.max(score, wholeTextFuzzyCeiling * (1 - edits / Math.max(query.length, text.length)));
  }
  return score;
}

/** Returns the mean quality of the query's words against a text's words, or 0 unless every query word is found. */
function wordsScore(queryWords: string[], textWords: string[]): number {
  let total = 0;
  for (const queryWord of queryWords) {
    const quality = Math.max(0, ...textWords.map((textWord) => wordQuality(queryWord, textWord)));
    if (quality === 0) return 0;
    total += quality;
  }
  return total / queryWords.length;
}

/** Rates a typed word against a known word: 1 when equal, less for a prefix or a few typos, 0 otherwise. */
function wordQuality(queryWord: string, textWord: string): number {
  if (queryWord === textWord) return 1;

  let quality = 0;
  if (queryWord.length >= minimumPrefixLength && textWord.startsWith(queryWord)) {
    quality = 0.5 + (0.4 * queryWord.length) / textWord.length;
  }
  const allowed = allowedEdits(queryWord.length);
  if (allowed > 0 && Math.abs(queryWord.length - textWord.length) <= allowed) {
    const edits = distance(queryWord, textWord);
    if (edits <= allowed) quality = Math.max(quality, 0.9 * (1 - edits / Math.max(queryWord.length, textWord.length)));
  }
  return quality;
}

/** Splits text into lower-case words without accents or punctuation. Apostrophes are dropped, so "Wernicke's" is one word. */
function wordsOf(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

function rounded(score: number): number {
  return Math.round(score * 100) / 100;
}
