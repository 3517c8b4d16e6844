import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPeriod } from '../../month-end/check.js';
import { withConfirmations } from '../../month-end/confirmations.js';
import { defaultThresholds } from '../../rules/thresholds.js';
import { createWebTestApp, errorSummaryOf, postForm, seedClientWithIntervention, seedStaff, signIn } from '../testing/web-test-app.js';
import type { SeededEpisode, SeededStaff, WebTestApp } from '../testing/web-test-app.js';

void describe('episode and intervention pages', () => {
  let web: WebTestApp;
  let staff: SeededStaff;
  let cookie: string;
  let seeded: SeededEpisode;

  const discharge = (overrides: Record<string, string> = {}) => ({
    version: String(seeded.episodeVersion),
    'referral-day': '1', 'referral-month': '3', 'referral-year': '2024',
    'triage-day': '5', 'triage-month': '3', 'triage-year': '2024',
    'discharge-day': '1', 'discharge-month': '6', 'discharge-year': '2024',
    dischargeReason: '80',
    ...overrides,
  });

  before(async () => {
    web = await createWebTestApp();
    staff = await seedStaff(web.database, { roles: ['keyworker'] });
    cookie = await signIn(web.app, staff.email);
    seeded = await seedClientWithIntervention(web.database, staff);
  });
  after(async () => web.close());

  void test('episode needs both dates', async () => {
    const response = await postForm(web.app, `/clients/${seeded.clientId}/episodes/new`, { episodeRef: 'E-NEW', 'referral-day': '1', 'referral-month': '3', 'referral-year': '2024' }, cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#triage-day Enter the triage date']);
  });

  void test('discharge refused while interventions are open', async () => {
    const response = await postForm(web.app, `/episodes/${seeded.episodeId}/edit`, discharge(), cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#endOpenInterventions 1 intervention is still open. An episode cannot be discharged while interventions are open: tick to end them on the discharge date, or end each one first.']);
    const episode = await web.database.db.selectFrom('episodes').select('discharge_date').where('id', '=', seeded.episodeId).executeTakeFirstOrThrow();
    assert.equal(episode.discharge_date, null);
  });

  void test('discharge ends open interventions when asked', async () => {
    const response = await postForm(web.app, `/episodes/${seeded.episodeId}/edit`, discharge({ endOpenInterventions: 'yes', exitStatus: 'A' }), cookie);
    assert.equal(response.statusCode, 303);
    const episode = await web.database.db.selectFrom('episodes').select(['discharge_date', 'discharge_reason']).where('id', '=', seeded.episodeId).executeTakeFirstOrThrow();
    assert.deepEqual(episode, { discharge_date: '2024-06-01', discharge_reason: '80' });
    const interventions = await web.database.db.selectFrom('interventions').select(['end_date', 'exit_status']).where('episode_id', '=', seeded.episodeId).execute();
    assert.deepEqual(interventions, [{ end_date: '2024-06-01', exit_status: 'A' }]);
  });

  void test('ticked episode warning is confirmed', async () => {
    // A triage in 2007 makes the client, born in 1990, 16 at triage, which raises a D9 warning.
    const { db } = web.database;
    const young = await seedClientWithIntervention(web.database, staff, 'C-AGE');
    const fields = {
      version: String(young.episodeVersion),
      'referral-day': '1', 'referral-month': '1', 'referral-year': '2007',
      'triage-day': '2', 'triage-month': '1', 'triage-year': '2007',
      'discharge-day': '', 'discharge-month': '', 'discharge-year': '', dischargeReason: '',
    };
    const warned = await postForm(web.app, `/episodes/${young.episodeId}/edit`, fields, cookie);
    assert.equal(warned.statusCode, 400);
    assert.deepEqual(errorSummaryOf(warned.body), ['#confirmWarnings Check the warnings, then tick "I have checked this" to save, or change your answers']);

    const saved = await postForm(web.app, `/episodes/${young.episodeId}/edit`, { ...fields, confirmWarnings: 'yes' }, cookie);
    assert.equal(saved.statusCode, 303);
    const agency = await db.selectFrom('agencies').select(['id', 'code']).where('id', '=', staff.agencyId).executeTakeFirstOrThrow();
    const check = await checkPeriod(db, { agency, period: { year: 2024, month: 3 }, thresholds: defaultThresholds });
    const reviewed = await withConfirmations(db, agency.id, check.findings);
    const ageWarnings = reviewed.filter((finding) => finding.code === 'D9' && finding.clientId === 'C-AGE');
    assert.equal(ageWarnings.length, 1);
    assert.equal(ageWarnings[0]?.confirmation?.confirmedBy, `staff:${staff.staffId}`);
  });

  void test('next episode is added once', async () => {
    const fields = { episodeRef: 'E-NEW', 'referral-day': '1', 'referral-month': '7', 'referral-year': '2024', 'triage-day': '2', 'triage-month': '7', 'triage-year': '2024', 'discharge-day': '', dischargeReason: '' };
    const first = await postForm(web.app, `/clients/${seeded.clientId}/episodes/new`, fields, cookie);
    const second = await postForm(web.app, `/clients/${seeded.clientId}/episodes/new`, fields, cookie);
    assert.equal(first.statusCode, 303);
    assert.equal(second.statusCode, 303);
    const rows = await web.database.db.selectFrom('episodes').select('triage_date').where('episode_ref', '=', 'E-NEW').execute();
    assert.deepEqual(rows, [{ triage_date: '2024-07-02' }]);
  });

  void test('after successful discharge the review offers check-ups', async () => {
    const response = await web.app.inject({ url: `/episodes/${seeded.episodeId}/reviews/new`, headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Record a review after discharge/);
    assert.match(response.body, /id="item-RECCHKP"/);
    assert.doesNotMatch(response.body, /id="item-PHMETHMNT"/);
    assert.match(response.body, /name="relapsePreventionPrescribing"/);
  });

  void test('intervention end needs exit status', async () => {
    const episode = await web.database.db.selectFrom('episodes').select('id').where('episode_ref', '=', 'E-NEW').executeTakeFirstOrThrow();
    const fields = { interventionRef: 'I-NEW', interventionType: '96', setting: '1', 'referral-day': '2', 'referral-month': '7', 'referral-year': '2024', 'start-day': '3', 'start-month': '7', 'start-year': '2024', 'end-day': '4', 'end-month': '7', 'end-year': '2024', exitStatus: '' };
    const refused = await postForm(web.app, `/episodes/${episode.id}/interventions/new`, fields, cookie);
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(errorSummaryOf(refused.body), ['#exitStatus Select how the intervention ended, or clear the end date']);
    const saved = await postForm(web.app, `/episodes/${episode.id}/interventions/new`, { ...fields, exitStatus: 'A' }, cookie);
    assert.equal(saved.statusCode, 303);
    const rows = await web.database.db.selectFrom('interventions').select(['intervention_type', 'end_date']).where('intervention_ref', '=', 'I-NEW').execute();
    assert.deepEqual(rows, [{ intervention_type: '96', end_date: '2024-07-04' }]);
  });

  void test('intervention type must be a dataset code', async () => {
    const response = await postForm(web.app, `/episodes/${seeded.episodeId}/interventions/new`, { interventionRef: 'I-BAD', interventionType: '99', setting: '1', 'referral-day': '2', 'referral-month': '3', 'referral-year': '2024' }, cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#interventionType Intervention type is 99, which is not one of its codes. Use one of: 94 (Pharmacological), 95 (Psychosocial), 96 (Recovery support).']);
  });
});
