import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasStackTrace, linesOf, runWaymark } from '../testing/run-waymark.js';

interface LookupJson {
  code: string;
  score: number;
  matchedOn: string;
  matchedText: string;
  confirmPurpose: string | null;
  provisional: boolean;
}

function lookupJson(term: string): LookupJson[] {
  const run = runWaymark(['lookup', term, '--format', 'json']);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as LookupJson[];
}

function codesOf(results: LookupJson[]): string[] {
  return results.map((result) => result.code);
}

await test('lookup subutex gives mono buprenorphine', () => {
  const codes = codesOf(lookupJson('subutex'));
  assert.deepEqual(codes, ['PHBUPSTB', 'PHBUPWTH', 'PHBUPMNT']);
  assert.equal(codes.some((code) => code.startsWith('PHBNX')), false);
});

await test('lookup suboxone gives buprenorphine-naloxone', () => {
  assert.deepEqual(codesOf(lookupJson('suboxone')), ['PHBNXSTB', 'PHBNXWTH', 'PHBNXMNT']);
});

await test('lookup misspelt subutx still matches', () => {
  assert.deepEqual(codesOf(lookupJson('subutx')), ['PHBUPSTB', 'PHBUPWTH', 'PHBUPMNT']);
});

await test('lookup Buvidal gives the depot items', () => {
  assert.deepEqual(codesOf(lookupJson('Buvidal')), ['PHBUDIWTH', 'PHBUDIMNT']);
});

await test('lookup methadone offers three purposes', () => {
  const codes = codesOf(lookupJson('methadone'));
  assert.deepEqual(codes.slice(0, 3), ['PHMETHSTB', 'PHMETHWTH', 'PHMETHMNT']);
  assert.ok(codes.indexOf('PHMETHINJ') > 2, 'methadone injection ranks below the oral purposes');
});

await test('lookup naltrexone gives both items', () => {
  assert.deepEqual(codesOf(lookupJson('naltrexone')), ['PHNALTOPI', 'PHNALTALC']);
});

await test('lookup code gives that item first', () => {
  const results = lookupJson('PHMETHMNT');
  assert.equal(results[0]?.code, 'PHMETHMNT');
  assert.equal(results[0]?.matchedOn, 'code');
  assert.equal(results[0]?.score, 1);
});

await test('lookup librium json has the purpose', () => {
  const results = lookupJson('librium');
  assert.deepEqual(codesOf(results), ['PHCHLDWTH']);
  assert.equal(results[0]?.confirmPurpose, 'Prescribed to treat acute alcohol withdrawal, not for anxiety or any other reason');
  assert.equal(results[0]?.matchedText, 'Librium');
  assert.equal(results[0]?.provisional, true);
});

await test('lookup librium text shows the reminder', () => {
  const run = runWaymark(['lookup', 'librium']);
  assert.equal(run.status, 0);
  const lines = linesOf(run.stdout);
  assert.match(lines[0] ?? '', /^CODE\s+SCORE\s+OST\s+CHECK\s+NAME\s+MATCHED$/);
  assert.match(lines[1] ?? '', /^PHCHLDWTH\s+1\.00\s+PROVISIONAL\s+Chlordiazepoxide – alcohol withdrawal\s+search name "Librium"$/);
  assert.equal(lines[2], '    Confirm the purpose before recording: Prescribed to treat acute alcohol withdrawal, not for anxiety or any other reason.');
  assert.match(run.stdout, /PROVISIONAL: check the code against the official CDS-Q technical definitions/);
});

await test('lookup joins several words', () => {
  const run = runWaymark(['lookup', 'alcohol', 'withdrawal', '--format', 'json']);
  assert.equal(run.status, 0);
  const codes = codesOf(JSON.parse(run.stdout) as LookupJson[]);
  assert.ok(codes.includes('PHCHLDWTH'));
  assert.ok(codes.includes('PHOTALWTH'));
});

await test('lookup zzzz finds nothing', () => {
  const run = runWaymark(['lookup', 'zzzz']);
  assert.equal(run.status, 1);
  assert.equal(run.stdout, '');
  assert.equal(linesOf(run.stderr).length, 1);
  assert.match(run.stderr, /no sub-intervention matches "zzzz"/);
  assert.match(run.stderr, /waymark catalogue/);
  assert.equal(hasStackTrace(run.stderr), false);
});

await test('lookup zzzz json prints an empty array', () => {
  const run = runWaymark(['lookup', 'zzzz', '--format', 'json']);
  assert.equal(run.status, 1);
  assert.deepEqual(JSON.parse(run.stdout), []);
});

await test('lookup without a term exits 2', () => {
  const run = runWaymark(['lookup']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /missing required argument 'term'/);
});
