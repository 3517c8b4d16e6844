import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ensureAgency, type AgencyRecord } from '../db/agencies-repository.js';
import { saveClient } from '../db/clients-repository.js';
import { clientWithoutConsent, review, sampleClient } from '../db/testing/sample-clients.js';
import { describeEachDatabase, type TestDatabase } from '../db/testing/test-databases.js';
import type { Client, Episode } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { defaultThresholds, thresholdsSchema } from '../rules/thresholds.js';
import { checkPeriod, type CheckFinding } from './check.js';

const march2024 = { year: 2024, month: 3 };

function firstEpisode(client: Client): Episode {
  const episode = client.episodes[0];
  assert.ok(episode, `client ${client.clientId} has no episode`);
  return episode;
}

/**
 * Synthetic clients with three planted problems inside the March 2024 extraction window
 * (A2 on 0043, D6 on 0044, A7 on 0045) and one outside it (0050, discharged in 2022).
 * 0046 and 0047 have no problems and move the month's figures.
 */
function fixtureClients(): Client[] {
  const clean = sampleClient('0042');
  firstEpisode(clean).reviews.push(review('S-0042-4', '2024-03-05', ['PHMETHMNT'], { methadoneDose: 40, ostSupervision: '1' }));

  const missingDose = sampleClient('0043');
  const missingDoseReview = firstEpisode(missingDose).reviews[2];
  assert.ok(missingDoseReview);
  missingDoseReview.methadoneDose = undefined;

  const leftOpen = sampleClient('0044');
  firstEpisode(leftOpen).dischargeDate = '2024-02-10' as PlainDate;
  firstEpisode(leftOpen).dischargeReason = '85';

  const highDose = sampleClient('0045');
  const highDoseReview = firstEpisode(highDose).reviews[2];
  assert.ok(highDoseReview);
  highDoseReview.methadoneDose = 180;

  const newEpisode = sampleClient('0046');
  Object.assign(firstEpisode(newEpisode), { referralDate: '2024-03-01', triageDate: '2024-03-04', interventions: [], reviews: [] });

  const dischargedInMarch = sampleClient('0047');
  Object.assign(firstEpisode(dischargedInMarch), {
    referralDate: '2024-01-02',
    triageDate: '2024-01-05',
    dischargeDate: '2024-03-20',
    dischargeReason: '80',
    interventions: [],
    reviews: [],
  });

  const outsideWindow = sampleClient('0050');
  firstEpisode(outsideWindow).dischargeDate = '2022-06-01' as PlainDate;
  firstEpisode(outsideWindow).dischargeReason = '85';
  Object.assign(firstEpisode(outsideWindow), { referralDate: '2021-05-02', triageDate: '2021-05-09' });
  firstEpisode(outsideWindow).interventions = [];
  firstEpisode(outsideWindow).reviews = [review('S-0050-1', '2021-06-01', ['PHMETHMNT'], { ostSupervision: '1' })];

  return [clean, missingDose, leftOpen, highDose, newEpisode, dischargedInMarch, outsideWindow, clientWithoutConsent('0099')];
}

function findingSummary(finding: CheckFinding): object {
  return { code: finding.code, severity: finding.severity, clientId: finding.clientId, field: finding.field, value: finding.value, record: finding.record, keyworker: finding.keyworker };
}

describeEachDatabase('checkPeriod', (target) => {
  let database: TestDatabase;
  let agency: AgencyRecord;

  before(async () => {
    database = await target.create();
    agency = await ensureAgency(database.db, 'TST01');
    for (const client of fixtureClients()) await saveClient(database.db, agency, client, { actor: 'test' });

    const keyworker = await database.db
      .insertInto('staff')
      .values({ organisation_id: agency.organisationId, email: 'kit.keyworker@test.invalid', display_name: 'Kit Keyworker' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.updateTable('clients').set({ keyworker_id: keyworker.id }).where('client_ref', '=', '0043').execute();
  });

  after(async () => {
    await database.dispose();
  });

  void it('finds exactly the planted problems', async () => {
    const result = await checkPeriod(database.db, { agency, period: march2024, thresholds: defaultThresholds });

    assert.equal(result.agency, 'TST01');
    assert.equal(result.period, '2024-03');
    assert.equal(result.errors, 2);
    assert.equal(result.warnings, 1);
    assert.deepEqual(result.findings.map(findingSummary), [
      { code: 'A2', severity: 'error', clientId: '0043', field: 'METHDOSE', value: '', record: { entity: 'review', id: 'S-0043-3' }, keyworker: 'Kit Keyworker' },
      { code: 'D6', severity: 'error', clientId: '0044', field: 'MODEND', value: '', record: { entity: 'intervention', id: 'M-0044-1' }, keyworker: undefined },
      { code: 'A7', severity: 'warning', clientId: '0045', field: 'METHDOSE', value: '180', record: { entity: 'review', id: 'S-0045-3' }, keyworker: undefined },
    ]);
    for (const finding of result.findings) assert.ok(finding.message.length > 20, `finding ${finding.code} has no message`);
  });

  void it('counts findings by rule', async () => {
    const result = await checkPeriod(database.db, { agency, period: march2024, thresholds: defaultThresholds });

    assert.deepEqual(
      result.findingsByRule.map(({ code, severity, count }) => ({ code, severity, count })),
      [
        { code: 'A2', severity: 'error', count: 1 },
        { code: 'A7', severity: 'warning', count: 1 },
        { code: 'D6', severity: 'error', count: 1 },
      ],
    );
    for (const entry of result.findingsByRule) assert.notEqual(entry.title, '', `rule ${entry.code} has no title`);
  });

  void it('uses the given thresholds', async () => {
    const thresholds = thresholdsSchema.parse({ methadoneDoseWarningMl: 200 });
    const result = await checkPeriod(database.db, { agency, period: march2024, thresholds });

    assert.equal(result.warnings, 0);
    assert.deepEqual(result.findings.map((finding) => finding.code), ['A2', 'D6']);
  });

  void it('compares March with February', async () => {
    const { comparison } = await checkPeriod(database.db, { agency, period: march2024, thresholds: defaultThresholds });
    const row = (key: string) => {
      const found = comparison.rows.find((entry) => entry.key === key);
      assert.ok(found, `row ${key} missing`);
      return { previous: found.previous, current: found.current, flagged: found.flagged };
    };

    assert.deepEqual(comparison.previous, { year: 2024, month: 2 });
    // 0046 triaged on 4 March.
    assert.deepEqual(row('new-episodes'), { previous: 0, current: 1, flagged: true });
    // 0044 discharged on 10 February, dropped out (85). 0047 discharged on 20 March, completed (80).
    assert.deepEqual(row('discharges:85'), { previous: 1, current: 0, flagged: true });
    assert.deepEqual(row('discharges:80'), { previous: 0, current: 1, flagged: true });
    // 0042, 0043, 0044 (left open) and 0045 keep their pharmacological intervention open.
    assert.deepEqual(row('active-interventions:94'), { previous: 4, current: 4, flagged: false });
    // Recovery support interventions all ended on 1 December 2023.
    assert.deepEqual(row('active-interventions:96'), { previous: 0, current: 0, flagged: false });
    // 0042's review of 5 March is the only review in either month.
    assert.deepEqual(row('reviews'), { previous: 0, current: 1, flagged: true });
    assert.deepEqual(row('oral-methadone'), { previous: 4, current: 4, flagged: false });
    assert.deepEqual(comparison.flagged.map((entry) => entry.key), ['new-episodes', 'discharges:80', 'discharges:85', 'reviews']);
  });

  void it('compares April with the March before', async () => {
    const { comparison } = await checkPeriod(database.db, { agency, period: { year: 2024, month: 4 }, thresholds: defaultThresholds });
    const discharges = comparison.rows.find((entry) => entry.key === 'discharges:80');

    // The April window starts on 1 April, so 0047's March discharge is found only because
    // March is extracted on its own.
    assert.deepEqual(comparison.previous, { year: 2024, month: 3 });
    assert.equal(discharges?.previous, 1);
    assert.equal(discharges?.current, 0);
  });
});
