import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cdsQDataset } from '../dataset/index.js';
import { allowedEdits, lookup } from './lookup.js';

function codesFor(term: string): string[] {
  return lookup(cdsQDataset, term).map((match) => match.item.code);
}

await test('lookup finds Subutex as mono buprenorphine only', () => {
  assert.deepEqual(codesFor('subutex'), ['PHBUPSTB', 'PHBUPWTH', 'PHBUPMNT']);
});

await test('lookup finds Suboxone as buprenorphine with naloxone', () => {
  assert.deepEqual(codesFor('Suboxone'), ['PHBNXSTB', 'PHBNXWTH', 'PHBNXMNT']);
});

await test('lookup tolerates a misspelt brand', () => {
  const matches = lookup(cdsQDataset, 'subutx');
  assert.deepEqual(matches.map((match) => match.item.code), ['PHBUPSTB', 'PHBUPWTH', 'PHBUPMNT']);
  assert.equal(matches[0]?.matchedOn, 'search name');
  assert.equal(matches[0]?.matchedText, 'Subutex');
  assert.ok((matches[0]?.score ?? 1) < 1, 'a misspelling scores below an exact match');
});

await test('lookup finds Librium with its purpose reminder', () => {
  const matches = lookup(cdsQDataset, 'librium');
  assert.deepEqual(matches.map((match) => match.item.code), ['PHCHLDWTH']);
  assert.equal(matches[0]?.score, 1);
  assert.match(matches[0]?.item.confirmPurpose ?? '', /alcohol withdrawal/);
});

await test('lookup finds Buvidal as the two depot items', () => {
  assert.deepEqual(codesFor('Buvidal'), ['PHBUDIWTH', 'PHBUDIMNT']);
});

await test('lookup offers oral methadone purposes before the injection', () => {
  const codes = codesFor('methadone');
  assert.deepEqual(codes.slice(0, 3), ['PHMETHSTB', 'PHMETHWTH', 'PHMETHMNT']);
  assert.ok(codes.includes('PHMETHINJ'), 'methadone injection is offered');
  assert.ok(codes.indexOf('PHMETHINJ') > 2, 'methadone injection comes after the oral purposes');
});

await test('lookup finds both naltrexone items', () => {
  assert.deepEqual(codesFor('naltrexone'), ['PHNALTOPI', 'PHNALTALC']);
});

await test('lookup puts an exact code first', () => {
  const matches = lookup(cdsQDataset, 'PHMETHMNT');
  assert.equal(matches[0]?.item.code, 'PHMETHMNT');
  assert.equal(matches[0]?.matchedOn, 'code');
  assert.equal(matches[0]?.score, 1);
});

await test('lookup matches a code typed in lower case', () => {
  assert.equal(codesFor('phbenzghb')[0], 'PHBENZGHB');
});

await test('lookup finds items by purpose', () => {
  const codes = codesFor('alcohol withdrawal');
  for (const code of ['PHCHLDWTH', 'PHDIAZWTH', 'PHCARBWTH', 'PHOTALWTH']) {
    assert.ok(codes.includes(code), `${code} is among the alcohol withdrawal items`);
  }
});

await test('lookup combines words from name and purpose', () => {
  assert.equal(codesFor('methadone maintenance')[0], 'PHMETHMNT');
});

await test('lookup finds nothing for an unknown term', () => {
  assert.deepEqual(lookup(cdsQDataset, 'zzzz'), []);
});

await test('lookup finds nothing for punctuation only', () => {
  assert.deepEqual(lookup(cdsQDataset, ' - '), []);
});

await test('lookup orders every result by score', () => {
  const scores = lookup(cdsQDataset, 'buprenorphine').map((match) => match.score);
  assert.ok(scores.length > 0);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
});

await test('lookup allows more edits for longer words', () => {
  assert.equal(allowedEdits(3), 0);
  assert.equal(allowedEdits(6), 1);
  assert.equal(allowedEdits(9), 2);
  assert.equal(allowedEdits(30), 3);
});
