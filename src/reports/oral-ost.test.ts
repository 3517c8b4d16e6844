import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Client } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { oralOstStatusOn, supervisedConsumptionCode } from './oral-ost.js';
import { reportFixture } from './report-fixture.js';

const day = (text: string): PlainDate => text as PlainDate;

function fixtureClient(clientId: string): Client {
  const client = reportFixture().find((entry) => entry.clientId === clientId);
  assert.ok(client, `fixture client ${clientId} missing`);
  return client;
}

await test('oral OST from the latest review', () => {
  // C1's latest review by 31 March 2024 is that day's, with methadone maintenance.
  const status = oralOstStatusOn(fixtureClient('C1'), day('2024-03-31'));
  assert.equal(status?.review.reviewId, 'S1-3');
  assert.deepEqual([...(status?.markers ?? [])], ['oral-methadone']);
});

await test('oral OST ignores later reviews', () => {
  // On 30 March, C1's latest review is 15 February's.
  assert.equal(oralOstStatusOn(fixtureClient('C1'), day('2024-03-30'))?.review.reviewId, 'S1-2');
});

await test('oral OST needs an open intervention', () => {
  // C3's 1 February review marks methadone, but the intervention ended on 28 February.
  const status = oralOstStatusOn(fixtureClient('C3'), day('2024-02-29'));
  assert.equal(status?.review.reviewId, 'S3-1');
  assert.equal(status?.markers.size, 0);
});

await test('oral OST skips post-discharge reviews', () => {
  // C3's 31 March review is after its 15 March discharge, so 14 March's decides.
  assert.equal(oralOstStatusOn(fixtureClient('C3'), day('2024-03-31'))?.review.reviewId, 'S3-2');
});

await test('oral OST leaves depot out', () => {
  const status = oralOstStatusOn(fixtureClient('C6'), day('2024-03-31'));
  assert.equal(status?.review.reviewId, 'S6-2');
  assert.equal(status?.markers.size, 0);
});

await test('oral OST without reviews', () => {
  assert.equal(oralOstStatusOn(fixtureClient('C4'), day('2024-03-31')), undefined);
});

await test('oral OST takes the later of two same-day reviews', () => {
  const client = fixtureClient('C2');
  const reviews = client.episodes[0]?.reviews;
  assert.ok(reviews);
  reviews.push({ ...(reviews[2] as (typeof reviews)[number]), reviewId: 'S2-4', delivered: ['PHMETHMNT'], methadoneDose: 30, buprenorphineDose: undefined });

  const status = oralOstStatusOn(client, day('2024-03-31'));
  assert.equal(status?.review.reviewId, 'S2-4');
  assert.deepEqual([...(status?.markers ?? [])], ['oral-methadone']);
});

await test('supervised code from the dataset', () => {
  assert.equal(supervisedConsumptionCode(), '1');
});
