import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createWebTestApp, errorSummaryOf, postForm, seedClientWithIntervention, seedStaff, signIn } from '../testing/web-test-app.js';
import type { SeededEpisode, SeededStaff, WebTestApp } from '../testing/web-test-app.js';

interface ReviewSeed {
  ref: string;
  date?: string;
  items: string[];
  methadoneDose?: number | null;
  ostSupervision?: string | null;
}

void describe('correcting a review', () => {
  let web: WebTestApp;
  let staff: SeededStaff;
  let cookie: string;
  let seeded: SeededEpisode;

  /** Stores a review as a saved one looks, without going through the form. */
  const seedReview = async (review: ReviewSeed, episodeId = seeded.episodeId, agencyId = staff.agencyId): Promise<number> => {
    const { db } = web.database;
    const row = await db
      .insertInto('reviews')
      .values({ agency_id: agencyId, episode_id: episodeId, review_ref: review.ref, review_date: review.date ?? '2024-03-10', methadone_dose: review.methadoneDose ?? null, ost_supervision: review.ostSupervision ?? null, delivered_by_staff_id: staff.staffId })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (review.items.length > 0) await db.insertInto('review_items').values(review.items.map((code) => ({ review_id: row.id, sub_intervention_code: code }))).execute();
    return row.id;
  };
  const stored = async (reviewId: number) => {
    const { db } = web.database;
    const row = await db.selectFrom('reviews').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow();
    const items = await db.selectFrom('review_items').select('sub_intervention_code').where('review_id', '=', reviewId).orderBy('sub_intervention_code').execute();
    return { ...row, items: items.map((item) => item.sub_intervention_code) };
  };
  const editUrl = (reviewId: number) => `/reviews/${reviewId}/edit`;
  // The values of a methadone maintenance review on 10 March 2024, as the edit form posts them.
  const correction = (overrides: Record<string, string | string[]> = {}) => ({
    version: '1',
    episodeVersion: String(seeded.episodeVersion),
    phase: 'in-treatment',
    'reviewDate-day': '10',
    'reviewDate-month': '3',
    'reviewDate-year': '2024',
    items: ['PHMETHMNT'],
    methadoneDose: '45',
    ostSupervision: '1',
    ...overrides,
  });

  before(async () => {
    web = await createWebTestApp();
    staff = await seedStaff(web.database, { roles: ['keyworker'] });
    cookie = await signIn(web.app, staff.email);
    seeded = await seedClientWithIntervention(web.database, staff);
  });
  after(async () => web.close());

  void test('form opens with saved answers', async () => {
    const reviewId = await seedReview({ ref: 'R-OPEN', items: ['PHMETHMNT', 'PHCHLDWTH'], methadoneDose: 60, ostSupervision: '2' });
    const response = await web.app.inject({ url: editUrl(reviewId), headers: { cookie } });
    assert.equal(response.statusCode, 200);
    const body = response.body;
    assert.match(body, /<h1[^>]*>.*Change a review<\/h1>/);
    assert.match(body, new RegExp(`<form method="post" action="/reviews/${reviewId}/edit"`));
    assert.match(body, /name="version" value="1"/);
    assert.match(body, /name="reviewRef" value="R-OPEN"/);
    assert.match(body, /id="reviewDate-day" name="reviewDate-day" type="text" value="10"/);
    assert.match(body, /id="reviewDate-month" name="reviewDate-month" type="text" value="3"/);
    assert.match(body, /id="reviewDate-year" name="reviewDate-year" type="text" value="2024"/);
    assert.match(body, /value="PHMETHMNT" checked/);
    assert.match(body, /value="PHCHLDWTH" checked/);
    assert.doesNotMatch(body, /value="RECMAID" checked/);
    assert.match(body, /id="methadoneDose" name="methadoneDose" type="text" spellcheck="false" value="60"/);
    assert.match(body, /name="ostSupervision" type="radio" value="2" checked/);
    // The purpose was confirmed when the review was saved, so the tick is kept.
    assert.match(body, /id="confirmPurpose-PHCHLDWTH" name="confirmPurpose" type="checkbox" value="PHCHLDWTH" checked/);
  });

  void test('correction is saved', async () => {
    const reviewId = await seedReview({ ref: 'R-FIX', items: ['PHMETHMNT', 'RECMAID'], methadoneDose: 60, ostSupervision: '1' });
    const response = await postForm(web.app, editUrl(reviewId), correction({ 'reviewDate-day': '12', items: ['PHMETHMNT'] }), cookie);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/clients/${seeded.clientId}?notice=review-saved#episode-${seeded.episodeId}`);

    const after = await stored(reviewId);
    assert.equal(after.review_ref, 'R-FIX');
    assert.equal(after.review_date, '2024-03-12');
    assert.equal(Number(after.methadone_dose), 45);
    assert.equal(after.ost_supervision, '1');
    assert.equal(after.version, 2);
    assert.equal(after.delivered_by_staff_id, staff.staffId);
    assert.deepEqual(after.items, ['PHMETHMNT']);
  });

  void test('audit event has before and after', async () => {
    const reviewId = await seedReview({ ref: 'R-AUDIT', items: ['PHMETHMNT'], methadoneDose: 60, ostSupervision: '1' });
    const response = await postForm(web.app, editUrl(reviewId), correction({ items: ['PHMETHMNT', 'RECMAID'], confirmWarnings: 'yes' }), cookie);
    assert.equal(response.statusCode, 303);

    const events = await web.database.db.selectFrom('audit_events').selectAll().where('entity', '=', 'review').where('entity_id', '=', String(reviewId)).orderBy('id').execute();
    assert.deepEqual(events.map((event) => event.action), ['review.view', 'review.update']);
    const update = events[1];
    assert.equal(update?.actor, `staff:${staff.staffId}`);
    assert.equal(update?.client_id, seeded.clientId);
    const before = update?.before as { methadone_dose: string; version: number; items: string[] };
    const after = update?.after as { methadone_dose: string; version: number; items: string[] };
    assert.equal(before.methadone_dose, '60.0');
    assert.equal(before.version, 1);
    assert.deepEqual(before.items, ['PHMETHMNT']);
    assert.equal(after.methadone_dose, '45.0');
    assert.equal(after.version, 2);
    assert.deepEqual(after.items, ['PHMETHMNT', 'RECMAID']);
  });

  void test('invalid correction keeps typed answers', async () => {
    const reviewId = await seedReview({ ref: 'R-BAD', items: ['PHMETHMNT'], methadoneDose: 60, ostSupervision: '1' });
    const response = await postForm(web.app, editUrl(reviewId), correction({ methadoneDose: '', items: ['PHMETHMNT', 'RECMAID'], 'reviewDate-day': '14' }), cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body).map((line) => line.split(' ')[0]), ['#methadoneDose']);
    assert.equal(
      errorSummaryOf(response.body)[0],
      '#methadoneDose "Methadone (oral solution) – opioid maintenance" is ticked on review R-BAD but daily dose of oral methadone (ml) is empty. ' +
        "Record the client's current daily dose of oral methadone (*) in ml, or untick the item if it is not prescribed.",
    );
    assert.match(response.body, /id="methadoneDose-error"/);
    assert.match(response.body, /value="RECMAID" checked/);
    assert.match(response.body, /id="reviewDate-day" name="reviewDate-day" type="text" value="14"/);

    const after = await stored(reviewId);
    assert.equal(Number(after.methadone_dose), 60);
    assert.equal(after.review_date, '2024-03-10');
    assert.equal(after.version, 1);
    assert.deepEqual(after.items, ['PHMETHMNT']);
  });

  void test('search posts and saves nothing', async () => {
    const reviewId = await seedReview({ ref: 'R-SEARCH', items: ['PHMETHMNT'], methadoneDose: 60, ostSupervision: '1' });
    const fields = correction({ searchOnly: 'yes', term: 'librium', methadoneDose: '75', items: ['PHMETHMNT', 'RECMAID'], 'reviewDate-day': '14', reviewRef: 'R-OTHER' });
    const response = await postForm(web.app, editUrl(reviewId), fields, cookie);
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<a href="#item-PHCHLDWTH">/);
    assert.match(response.body, /value="RECMAID" checked/);
    assert.match(response.body, /id="methadoneDose" name="methadoneDose" type="text" spellcheck="false" value="75"/);
    assert.match(response.body, /id="reviewDate-day" name="reviewDate-day" type="text" value="14"/);
    assert.match(response.body, /name="version" value="1"/);
    assert.match(response.body, /Review R-SEARCH\./);
    assert.doesNotMatch(response.body, /nhsuk-error-summary/);

    const after = await stored(reviewId);
    assert.equal(Number(after.methadone_dose), 60);
    assert.equal(after.version, 1);
    assert.deepEqual(after.items, ['PHMETHMNT']);
  });

  void test('search button posts the form', async () => {
    const reviewId = await seedReview({ ref: 'R-BUTTON', items: ['PHMETHMNT'], methadoneDose: 60, ostSupervision: '1' });
    const response = await web.app.inject({ url: editUrl(reviewId), headers: { cookie } });
    assert.match(response.body, /<form method="post" action="\/reviews\/\d+\/edit"/);
    assert.match(response.body, /<button [^>]*type="submit" name="searchOnly" value="yes"[^>]*>Search<\/button>/);
    assert.doesNotMatch(response.body, /formmethod="get"/);
  });

  void test('error left in place is refused', async () => {
    // Saved with the A2 error: oral methadone ticked and no daily dose.
    const reviewId = await seedReview({ ref: 'R-A2', items: ['PHMETHWTH'], ostSupervision: '1' });
    const opened = await web.app.inject({ url: editUrl(reviewId), headers: { cookie } });
    assert.match(opened.body, /id="methadoneDose" name="methadoneDose" type="text" spellcheck="false" value=""/);

    const unchanged = await postForm(web.app, editUrl(reviewId), correction({ items: ['PHMETHWTH'], methadoneDose: '' }), cookie);
    assert.equal(unchanged.statusCode, 400);
    assert.equal(
      errorSummaryOf(unchanged.body)[0],
      '#methadoneDose "Methadone (oral solution) – opioid withdrawal" is ticked on review R-A2 but daily dose of oral methadone (ml) is empty. ' +
        "Record the client's current daily dose of oral methadone (*) in ml, or untick the item if it is not prescribed.",
    );
    assert.equal((await stored(reviewId)).version, 1);

    const fixed = await postForm(web.app, editUrl(reviewId), correction({ items: ['PHMETHWTH'], methadoneDose: '30' }), cookie);
    assert.equal(fixed.statusCode, 303);
    assert.equal(Number((await stored(reviewId)).methadone_dose), 30);
  });

  void test('warning needs confirmation', async () => {
    const reviewId = await seedReview({ ref: 'R-HIGH', items: ['PHMETHMNT'], methadoneDose: 60, ostSupervision: '1' });
    const warned = await postForm(web.app, editUrl(reviewId), correction({ methadoneDose: '200' }), cookie);
    assert.equal(warned.statusCode, 400);
    assert.deepEqual(errorSummaryOf(warned.body), ['#confirmWarnings Check the warnings, then tick "I have checked this" to save, or change your answers']);
    assert.match(warned.body, /<li>Daily dose of oral methadone \(ml\) is \d+ ml on review R-[A-Z0-9-]+, above the usual 150 ml daily dose of oral methadone \(\*\)\. Check the dose against the prescription and confirm it if it is correct\. <span class="waymark-code">Rule A7<\/span><\/li>/);
    assert.equal(Number((await stored(reviewId)).methadone_dose), 60);

    const confirmed = await postForm(web.app, editUrl(reviewId), correction({ methadoneDose: '200', confirmWarnings: 'yes' }), cookie);
    assert.equal(confirmed.statusCode, 303);
    assert.equal(Number((await stored(reviewId)).methadone_dose), 200);
  });

  void test('stale version is refused', async () => {
    const reviewId = await seedReview({ ref: 'R-STALE', items: ['PHMETHMNT'], methadoneDose: 60, ostSupervision: '1' });
    const first = await postForm(web.app, editUrl(reviewId), correction({ methadoneDose: '50' }), cookie);
    assert.equal(first.statusCode, 303);

    // A second form opened at version 1 posts different values.
    const second = await postForm(web.app, editUrl(reviewId), correction({ methadoneDose: '55' }), cookie);
    assert.equal(second.statusCode, 400);
    assert.deepEqual(errorSummaryOf(second.body), [
      '#reviewDate-day Someone else saved a change to this review after you opened this form. Your answers are below but not saved. Check their change on the client record: saving this form again replaces it with your answers.',
    ]);
    assert.match(second.body, /id="methadoneDose" name="methadoneDose" type="text" spellcheck="false" value="55"/);
    assert.match(second.body, /name="version" value="2"/);
    const after = await stored(reviewId);
    assert.equal(Number(after.methadone_dose), 50);
    assert.equal(after.version, 2);
  });

  void test('double submission changes once', async () => {
    const reviewId = await seedReview({ ref: 'R-TWICE', items: ['PHMETHMNT'], methadoneDose: 60, ostSupervision: '1' });
    const fields = correction({ methadoneDose: '70' });
    const [first, second] = await Promise.all([postForm(web.app, editUrl(reviewId), fields, cookie), postForm(web.app, editUrl(reviewId), fields, cookie)]);
    assert.equal(first.statusCode, 303);
    assert.equal(second.statusCode, 303);
    const after = await stored(reviewId);
    assert.equal(Number(after.methadone_dose), 70);
    assert.equal(after.version, 2);
    const updates = await web.database.db.selectFrom('audit_events').select('id').where('action', '=', 'review.update').where('entity_id', '=', String(reviewId)).execute();
    assert.equal(updates.length, 1);

    // The same form sent once more, after both finished, also finds its values saved.
    const third = await postForm(web.app, editUrl(reviewId), fields, cookie);
    assert.equal(third.statusCode, 303);
    assert.equal((await stored(reviewId)).version, 2);
  });

  void test('other team’s review needs break-glass', async () => {
    const { db } = web.database;
    const otherTeam = await db.insertInto('teams').values({ agency_id: staff.agencyId, name: 'South team' }).returning('id').executeTakeFirstOrThrow();
    const client = await db
      .insertInto('clients')
      .values({ agency_id: staff.agencyId, client_ref: 'C-SOUTH', first_initial: 'K', surname_initial: 'L', date_of_birth: '1985-02-03', sex: 'F', consent: 'Y', team_id: otherTeam.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const episode = await db.insertInto('episodes').values({ agency_id: staff.agencyId, client_id: client.id, episode_ref: 'C-SOUTH-E', referral_date: '2024-03-01', triage_date: '2024-03-05' }).returning('id').executeTakeFirstOrThrow();
    const reviewId = await seedReview({ ref: 'R-SOUTH', items: ['RECMAID'] }, episode.id);

    // Keyworkers may break glass, so the refusal offers that form instead of the review.
    const opened = await web.app.inject({ url: editUrl(reviewId), headers: { cookie } });
    assert.equal(opened.statusCode, 403);
    assert.match(opened.body, new RegExp(`action="/clients/${client.id}/break-glass"`));
    assert.doesNotMatch(opened.body, /R-SOUTH/);
    const posted = await postForm(web.app, editUrl(reviewId), correction({ items: ['RECMAID'], methadoneDose: '', ostSupervision: '' }), cookie);
    assert.equal(posted.statusCode, 403);
    assert.match(posted.body, new RegExp(`action="/clients/${client.id}/break-glass"`));
    assert.equal((await stored(reviewId)).version, 1);
  });

  void test('review after discharge opens in its phase', async () => {
    const { db } = web.database;
    const episode = await db
      .insertInto('episodes')
      .values({ agency_id: staff.agencyId, client_id: seeded.clientId, episode_ref: 'C-100-DONE', referral_date: '2023-01-02', triage_date: '2023-01-05', discharge_date: '2023-06-30', discharge_reason: '80' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const reviewId = await seedReview({ ref: 'R-AFTER', date: '2023-08-01', items: ['RECMAID'] }, episode.id);
    const response = await web.app.inject({ url: editUrl(reviewId), headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Change a review after discharge<\/h1>/);
    assert.match(response.body, /name="phase" value="post-discharge"/);
    assert.match(response.body, /value="RECMAID" checked/);
    assert.match(response.body, new RegExp(`href="/reviews/${reviewId}/edit\\?phase=in-treatment">Treat it as a review from before the discharge instead`));
    assert.doesNotMatch(response.body, /id="methadoneDose"/);

    const saved = await postForm(web.app, editUrl(reviewId), { version: '1', phase: 'post-discharge', 'reviewDate-day': '2', 'reviewDate-month': '8', 'reviewDate-year': '2023', items: ['RECMAID'], relapsePreventionPrescribing: '' }, cookie);
    assert.equal(saved.statusCode, 303);
    assert.equal((await stored(reviewId)).review_date, '2023-08-02');
  });

  void test('review dated before discharge names the date', async () => {
    const { db } = web.database;
    const episode = await db
      .insertInto('episodes')
      .values({ agency_id: staff.agencyId, client_id: seeded.clientId, episode_ref: 'C-100-ENDED', referral_date: '2022-01-02', triage_date: '2022-01-05', discharge_date: '2022-06-30', discharge_reason: '80' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const reviewId = await seedReview({ ref: 'R-EARLY', date: '2022-08-01', items: ['RECMAID'] }, episode.id);
    const fields = { version: '1', phase: 'post-discharge', 'reviewDate-day': '30', 'reviewDate-month': '6', 'reviewDate-year': '2022', items: ['RECMAID'], relapsePreventionPrescribing: '' };
    const refused = await postForm(web.app, editUrl(reviewId), fields, cookie);
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(errorSummaryOf(refused.body), [
      '#reviewDate-day A review after discharge must be dated after the discharge date, 30 June 2022. Change the date, or record a review from before discharge.',
    ]);
    assert.equal((await stored(reviewId)).review_date, '2022-08-01');
  });

  void test('saved item the phase forbids stays visible', async () => {
    // RECCHKP is recorded only after a successful discharge, but an imported file can hold it.
    const reviewId = await seedReview({ ref: 'R-ODD', date: '2024-03-15', items: ['RECCHKP', 'RECMAID'] });
    const opened = await web.app.inject({ url: editUrl(reviewId), headers: { cookie } });
    assert.equal(opened.statusCode, 200);
    assert.match(opened.body, /Items this review cannot hold/);
    assert.match(opened.body, /id="item-RECCHKP" name="items" type="checkbox" value="RECCHKP" checked/);

    const refused = await postForm(web.app, editUrl(reviewId), correction({ 'reviewDate-day': '15', items: ['RECCHKP', 'RECMAID'], methadoneDose: '', ostSupervision: '' }), cookie);
    assert.equal(refused.statusCode, 400);
    assert.match(errorSummaryOf(refused.body)[0] ?? '', /^#items-start "Recovery check-ups" cannot be recorded on this review: post-structured-only items may be recorded only after a successful discharge\. Untick it\.$/);
    assert.deepEqual((await stored(reviewId)).items, ['RECCHKP', 'RECMAID']);
  });

  void test('unknown review is not found', async () => {
    const response = await web.app.inject({ url: editUrl(999999), headers: { cookie } });
    assert.equal(response.statusCode, 404);
    const text = await web.app.inject({ url: '/reviews/first/edit', headers: { cookie } });
    assert.equal(text.statusCode, 404);
  });

  void test('client record links each review', async () => {
    const reviewId = await seedReview({ ref: 'R-LINK', items: ['RECMAID'], date: '2024-03-20' });
    const response = await web.app.inject({ url: `/clients/${seeded.clientId}`, headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, new RegExp(`<a href="/reviews/${reviewId}/edit">Change<span class="nhsuk-u-visually-hidden"> review R-LINK of 20 March 2024</span></a>`));
  });
});
