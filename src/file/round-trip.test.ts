import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cdsQDataset } from '../dataset/index.js';
import type { Client, Episode, Intervention, SubInterventionReview } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { readFixture } from './testing/read-fixture.js';
import { writeCdsQFile } from './writer.js';

const codesOf = (list: string): string[] => cdsQDataset.codeList(list).codes.map((entry) => entry.code);
const subInterventionCodes = cdsQDataset.subInterventions.map((item) => item.code);

const plainDate: fc.Arbitrary<PlainDate> = fc
  .date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10) as PlainDate);
const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arbitrary, { nil: undefined });
const code = (list: string): fc.Arbitrary<string> => fc.constantFrom(...codesOf(list));
const dose = fc.integer({ min: 1, max: 5000 }).map((tenths) => tenths / 10);

// Identifiers are made unique by the position of the record, as a real system's keys are.
function interventionAt(prefix: string): fc.Arbitrary<Intervention> {
  return fc.record({
    interventionId: fc.constant(`${prefix}M`),
    interventionType: optional(code('intervention-type')),
    setting: optional(code('setting')),
    referralDate: optional(plainDate),
    firstAppointmentOfferedDate: optional(plainDate),
    startDate: optional(plainDate),
    endDate: optional(plainDate),
    exitStatus: optional(code('exit-status')),
  });
}

function reviewAt(prefix: string): fc.Arbitrary<SubInterventionReview> {
  return fc.record({
    reviewId: fc.constant(`${prefix}S`),
    reviewDate: optional(plainDate),
    delivered: fc.subarray(subInterventionCodes),
    methadoneDose: optional(dose),
    buprenorphineDose: optional(dose),
    ostSupervision: optional(code('ost-supervision')),
    relapsePreventionPrescribing: optional(code('relapse-prevention-prescribing')),
  });
}

function episodeAt(prefix: string): fc.Arbitrary<Episode> {
  return fc.record({
    episodeId: fc.constant(`${prefix}E`),
    referralDate: optional(plainDate),
    triageDate: optional(plainDate),
    dischargeDate: optional(plainDate),
    dischargeReason: optional(code('discharge-reason')),
    interventions: fc.integer({ min: 0, max: 3 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => interventionAt(`${prefix}${index}`)))),
    reviews: fc.integer({ min: 0, max: 3 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => reviewAt(`${prefix}${index}`)))),
  });
}

function clientAt(index: number): fc.Arbitrary<Client> {
  const clientId = `0${index}`;
  const withoutConsent = fc.record({ agency: fc.constant('AB123'), clientId: fc.constant(clientId), consent: fc.constant('N') }).map(
    (client): Client => ({ ...client, firstInitial: undefined, surnameInitial: undefined, dateOfBirth: undefined, sex: undefined, episodes: [] }),
  );
  const consenting = fc.record({
    agency: fc.constant('AB123'),
    clientId: fc.constant(clientId),
    firstInitial: fc.constantFrom('A', 'J', 'Z'),
    surnameInitial: fc.constantFrom('B', 'S'),
    dateOfBirth: plainDate,
    sex: code('sex'),
    consent: fc.constant('Y'),
    episodes: fc.integer({ min: 0, max: 2 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, episode) => episodeAt(`C${index}-${episode}-`)))),
  });
  return fc.oneof({ arbitrary: consenting, weight: 5 }, { arbitrary: withoutConsent, weight: 1 });
}

const clients = fc.integer({ min: 1, max: 4 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => clientAt(index))));

async function written(models: readonly Client[]): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await writeCdsQFile(models, sink, cdsQDataset);
  return Buffer.concat(chunks).toString('utf8');
}

/** Returns clients with records sorted by identifier and no line numbers, so models compare whatever their order. */
function canonical(models: readonly Client[]): unknown {
  const byId = <T>(items: readonly T[], idOf: (item: T) => string): T[] => [...items].sort((a, b) => (idOf(a) < idOf(b) ? -1 : 1));
  const sorted = byId(models, (client) => client.clientId).map((client) => ({
    ...client,
    episodes: byId(client.episodes, (episode) => episode.episodeId).map((episode) => ({
      ...episode,
      interventions: byId(episode.interventions, (item) => item.interventionId),
      reviews: byId(episode.reviews, (item) => item.reviewId),
    })),
  }));
  return JSON.parse(JSON.stringify(sorted, (key, value: unknown) => (key === 'line' ? undefined : value)));
}

void describe('CDS-Q file round trip properties', () => {
  void it('reads back what it wrote', async () => {
    await fc.assert(
      fc.asyncProperty(clients, async (models) => {
        const firstText = await written(models);
        const first = await readFixture(firstText);
        const secondText = await written(first.clients);
        const second = await readFixture(secondText);

        assert.deepEqual(canonical(first.clients), canonical(models));
        assert.deepEqual(second.clients, first.clients);
        assert.equal(secondText, firstText);
        assert.equal(second.rows, first.rows);
      }),
      { numRuns: 80 },
    );
  });
});
