import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { cdsQDataset } from '../dataset/index.js';
import type { Client, SubInterventionReview } from '../domain/model.js';
import { ageOn } from '../domain/plain-date.js';
import { financialYearStart, periodEnd, parseReportingPeriod, type ReportingPeriod } from '../domain/reporting-period.js';
import { validateFile } from '../file/validate-file.js';
import { writeCdsQFile } from '../file/writer.js';
import { defaultThresholds } from '../rules/thresholds.js';
import { validateClient } from '../rules/validate-client.js';
import { generateClients } from './generate-clients.js';

const period: ReportingPeriod = parseReportingPeriod('2024-03') ?? { year: 2024, month: 3 };
const lastDay = periodEnd(period);
const dataset = cdsQDataset;

function generate(clients: number, seed = 1): Client[] {
  return [...generateClients({ clients, agency: 'DEMO1', period, seed })];
}

function reviewsOf(client: Client): SubInterventionReview[] {
  return client.episodes.flatMap((episode) => episode.reviews);
}

/** Tells whether any SIR of the client carries an item prescribed for opioid use, relapse prevention aside. */
function isOpiateClient(client: Client): boolean {
  return reviewsOf(client).some((review) =>
    review.delivered.some((code) => {
      const purpose = dataset.subIntervention(code)?.purpose ?? '';
      return purpose.includes('opioid') && !purpose.includes('relapse');
    }),
  );
}

await describe('generateClients', async () => {
  await it('repeats its output for the same seed', () => {
    assert.deepEqual(generate(200, 5), generate(200, 5));
  });

  await it('differs between seeds', () => {
    assert.notDeepEqual(generate(50, 1), generate(50, 2));
  });

  await it('starts a longer run with the shorter one', () => {
    assert.deepEqual(generate(300, 3).slice(0, 40), generate(40, 3));
  });

  await it('produces no errors under the rule registry', () => {
    const context = { dataset, thresholds: defaultThresholds, latestAllowedDate: lastDay };
    const findings = generate(500, 11).flatMap((client) => validateClient(client, context));
    const errors = findings.filter((finding) => finding.severity === 'error');
    assert.deepEqual(errors, []);
    assert.ok(findings.length <= 5, `expected warnings to be rare, found ${findings.length}`);
  });

  await it('writes a file that validates cleanly', async () => {
    const file = new PassThrough();
    const written = writeCdsQFile(generate(500, 14), file, dataset);
    const [result] = await Promise.all([validateFile(file, { dataset, thresholds: defaultThresholds, latestAllowedDate: lastDay }), written]);
    assert.deepEqual(result.findings, []);
    assert.equal(result.clients, 500);
  });

  await it('keeps identifiers unique and within format', () => {
    const seen = new Set<string>();
    const pattern = /^[A-Za-z0-9-]{1,20}$/;
    for (const client of generate(1000, 4)) {
      const ids = [
        client.clientId,
        ...client.episodes.flatMap((episode) => [episode.episodeId, ...episode.interventions.map((item) => item.interventionId), ...episode.reviews.map((review) => review.reviewId)]),
      ];
      for (const id of ids) {
        assert.match(id, pattern);
        assert.ok(!seen.has(id), `identifier ${id} is used twice`);
        seen.add(id);
      }
    }
    assert.ok([...seen].some((id) => id.startsWith('0')), 'expected some client references with leading zeros');
  });

  await it('dates every record within the extraction window', () => {
    const yearStart = financialYearStart(period);
    for (const client of generate(1000, 6)) {
      for (const episode of client.episodes) {
        const dates = [episode.referralDate, episode.triageDate, episode.dischargeDate, ...episode.reviews.map((review) => review.reviewDate)];
        for (const date of dates) if (date !== undefined) assert.ok(date <= lastDay, `${episode.episodeId} has ${date} after the period`);
        if (episode.dischargeDate !== undefined) assert.ok(episode.dischargeDate >= yearStart, `${episode.episodeId} ended before the financial year`);
      }
    }
  });

  await it('gives adult ages at triage', () => {
    for (const client of generate(1000, 8)) {
      const first = client.episodes[0];
      if (client.dateOfBirth === undefined || first?.triageDate === undefined) continue;
      const age = ageOn(client.dateOfBirth, first.triageDate);
      assert.ok(age >= 18, `client ${client.clientId} is ${age} at triage`);
      assert.ok(age <= 75, `client ${client.clientId} is ${age} at triage`);
    }
  });

  await it('keeps doses in realistic ranges', () => {
    const reviews = generate(1000, 9).flatMap(reviewsOf);
    const methadone = reviews.flatMap((review) => (review.methadoneDose === undefined ? [] : [review.methadoneDose]));
    const buprenorphine = reviews.flatMap((review) => (review.buprenorphineDose === undefined ? [] : [review.buprenorphineDose]));
    assert.ok(methadone.length > 100, `only ${methadone.length} methadone doses`);
    assert.ok(buprenorphine.length > 20, `only ${buprenorphine.length} buprenorphine doses`);
    for (const dose of methadone) {
      assert.ok(dose >= 20, `methadone dose ${dose}`);
      assert.ok(dose <= 120, `methadone dose ${dose}`);
      assert.ok(Number.isInteger(dose * 10), `methadone dose ${dose} has more than one decimal place`);
    }
    for (const dose of buprenorphine) {
      assert.ok(dose >= 2, `buprenorphine dose ${dose}`);
      assert.ok(dose <= 24, `buprenorphine dose ${dose}`);
      assert.ok(Number.isInteger(dose * 10), `buprenorphine dose ${dose} has more than one decimal place`);
    }
  });

  await it('uses only codes the dataset defines', () => {
    const codesOf = (list: string): string[] => dataset.codeList(list).codes.map((entry) => entry.code);
    for (const client of generate(500, 10)) {
      if (client.sex !== undefined) assert.ok(codesOf('sex').includes(client.sex));
      for (const episode of client.episodes) {
        if (episode.dischargeReason !== undefined) assert.ok(codesOf('discharge-reason').includes(episode.dischargeReason));
        for (const intervention of episode.interventions) {
          assert.ok(codesOf('intervention-type').includes(intervention.interventionType ?? ''));
          assert.ok(codesOf('setting').includes(intervention.setting ?? ''));
        }
        for (const review of episode.reviews) for (const code of review.delivered) assert.ok(dataset.subIntervention(code), `unknown item ${code}`);
      }
    }
  });

  await it('follows national proportions roughly', () => {
    const clients = generate(4000, 12);
    const consenting = clients.filter((client) => client.episodes.length > 0);
    const opiateShare = consenting.filter(isOpiateClient).length / consenting.length;
    assert.ok(opiateShare >= 0.35, `opiate share ${opiateShare}`);
    assert.ok(opiateShare <= 0.55, `opiate share ${opiateShare}`);

    const noConsentShare = (clients.length - consenting.length) / clients.length;
    assert.ok(noConsentShare > 0.005, `no-consent share ${noConsentShare}`);
    assert.ok(noConsentShare < 0.05, `no-consent share ${noConsentShare}`);

    const discharges = consenting.flatMap((client) => client.episodes).flatMap((episode) => (episode.dischargeReason === undefined ? [] : [episode.dischargeReason]));
    const successShare = discharges.filter((reason) => dataset.conventions.successfulDischargeReasons.includes(reason)).length / discharges.length;
    assert.ok(successShare >= 0.35, `successful share ${successShare}`);
    assert.ok(successShare <= 0.65, `successful share ${successShare}`);

    const supervision = consenting.flatMap(reviewsOf).flatMap((review) => (review.ostSupervision === dataset.conventions.ostNotApplicableCode ? [] : [review.ostSupervision]));
    const supervised = dataset.codeList('ost-supervision').codes.find((entry) => entry.label === 'Supervised')?.code;
    const supervisedShare = supervision.filter((code) => code === supervised).length / supervision.length;
    assert.ok(supervisedShare >= 0.35, `supervised share ${supervisedShare}`);
    assert.ok(supervisedShare <= 0.65, `supervised share ${supervisedShare}`);
  });

  await it('covers every sub-intervention over a large run', () => {
    const delivered = new Set(generate(4000, 13).flatMap(reviewsOf).flatMap((review) => review.delivered));
    const missing = dataset.subInterventions.map((item) => item.code).filter((code) => !delivered.has(code));
    assert.deepEqual(missing, []);
  });
});
