import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { defaultThresholds } from '../../rules/thresholds.js';
import { checkPeriod } from '../../month-end/check.js';
import { withConfirmations } from '../../month-end/confirmations.js';
import { ClientRecordCache } from '../data/client-record-cache.js';
import type { ClientVersion } from '../data/client-record-cache.js';
import type { ClientRecord } from '../data/client-records.js';
import type { WebDatabase } from '../data/tables.js';
import { createWebTestApp, errorSummaryOf, fetchCsrf, postForm, postFormWithoutCsrf, seedClientWithIntervention, seedStaff, signIn } from '../testing/web-test-app.js';
import type { SeededEpisode, SeededStaff, WebTestApp } from '../testing/web-test-app.js';

void describe('recording a review', () => {
  let web: WebTestApp;
  let staff: SeededStaff;
  let cookie: string;
  let seeded: SeededEpisode;
  let nextRef = 1;

  // Each call uses a new review reference, as each newly opened form does.
  const reviewFields = (overrides: Record<string, string | string[]> = {}) => ({
    reviewRef: `R-T${nextRef++}`,
    episodeVersion: String(seeded.episodeVersion),
    phase: 'in-treatment',
    'reviewDate-day': '10',
    'reviewDate-month': '3',
    'reviewDate-year': '2024',
    items: ['PHMETHMNT'],
    methadoneDose: '60',
    ostSupervision: '1',
    ...overrides,
  });
  const post = (fields: Record<string, string | string[]>) => postForm(web.app, `/episodes/${seeded.episodeId}/reviews/new`, fields, cookie);
  const reviewsSaved = async () => web.database.db.selectFrom('reviews').selectAll().where('episode_id', '=', seeded.episodeId).execute();

  before(async () => {
    web = await createWebTestApp();
    staff = await seedStaff(web.database, { roles: ['keyworker'] });
    cookie = await signIn(web.app, staff.email);
    seeded = await seedClientWithIntervention(web.database, staff);
  });
  after(async () => web.close());

  void test('form shows the three groups', async () => {
    const response = await web.app.inject({ url: `/episodes/${seeded.episodeId}/reviews/new`, headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Structured psychosocial/);
    assert.match(response.body, /Structured pharmacological/);
    assert.match(response.body, /Recovery support/);
    assert.match(response.body, /id="item-PHMETHMNT"[^>]*data-ost-marker="oral-methadone"/);
    // Post-structured-only items are left off an in-treatment review.
    assert.doesNotMatch(response.body, /id="item-RECCHKP"/);
    assert.match(response.body, /<summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">When to record/);
  });

  void test('methadone without dose shows the error', async () => {
    const fields = reviewFields({ methadoneDose: '', buprenorphineDose: '' });
    const response = await post(fields);
    assert.equal(response.statusCode, 400);
    const summary = errorSummaryOf(response.body);
    assert.equal(summary.length, 1);
    assert.equal(
      summary[0],
      `#methadoneDose "Methadone (oral solution) – opioid maintenance" is ticked on review ${fields.reviewRef} but daily dose of oral methadone (ml) is empty. ` +
        "Record the client's current daily dose of oral methadone (*) in ml, or untick the item if it is not prescribed.",
    );
    assert.match(response.body, /id="methadoneDose-error"/);
    assert.match(response.body, /value="PHMETHMNT" checked/);
    assert.match(response.body, /id="ostSupervision" name="ostSupervision" type="radio" value="1" checked/);
    assert.equal((await reviewsSaved()).length, 0);
  });

  void test('dose without methadone item is refused', async () => {
    const fields = reviewFields({ items: ['PHBUPMNT'], buprenorphineDose: '8' });
    const response = await post(fields);
    assert.equal(response.statusCode, 400);
    assert.equal(
      errorSummaryOf(response.body)[0],
      '#methadoneDose Daily dose of oral methadone (ml) is 60 but no oral methadone (*) sub-intervention ("Methadone (oral solution) – opioid assessment and stabilisation", ' +
        `"Methadone (oral solution) – opioid withdrawal" or "Methadone (oral solution) – opioid maintenance") is ticked on review ${fields.reviewRef}. ` +
        'Leave daily dose of oral methadone (ml) blank when the client is not prescribed oral methadone (*), or tick the item they receive.',
    );
  });

  void test('invalid dose text uses the field parser', async () => {
    const response = await post(reviewFields({ methadoneDose: '60.25' }));
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), [
      '#methadoneDose Daily dose of oral methadone (ml) is 60.25, which is not a number greater than zero with at most one decimal place. Enter the daily dose in ml as digits only, for example 30 or 12.5.',
    ]);
    assert.match(response.body, /value="60.25"/);
  });

  void test('review with methadone 60 supervised is saved', async () => {
    const fields = reviewFields();
    const response = await post(fields);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/clients/${seeded.clientId}?notice=review-saved`);
    const [saved] = await reviewsSaved();
    assert.equal(saved?.review_ref, fields.reviewRef);
    assert.equal(saved?.review_date, '2024-03-10');
    assert.equal(Number(saved?.methadone_dose), 60);
    assert.equal(saved?.ost_supervision, '1');
    assert.equal(saved?.delivered_by_staff_id, staff.staffId);
    const items = await web.database.db.selectFrom('review_items').select('sub_intervention_code').where('review_id', '=', saved?.id ?? -1).execute();
    assert.deepEqual(items, [{ sub_intervention_code: 'PHMETHMNT' }]);
  });

  void test('review with two items saves both', async () => {
    const fields = reviewFields({ 'reviewDate-day': '12', items: ['PHMETHMNT', 'RECMAID'], confirmWarnings: 'yes' });
    const response = await post(fields);
    assert.equal(response.statusCode, 303);
    const saved = (await reviewsSaved()).find((row) => row.review_ref === fields.reviewRef);
    assert.ok(saved);
    const items = await web.database.db.selectFrom('review_items').select('sub_intervention_code').where('review_id', '=', saved.id).orderBy('sub_intervention_code').execute();
    assert.deepEqual(items, [{ sub_intervention_code: 'PHMETHMNT' }, { sub_intervention_code: 'RECMAID' }]);
  });

  void test('double submission saves one review', async () => {
    const before = (await reviewsSaved()).length;
    const fields = reviewFields({ 'reviewDate-day': '20' });
    const [first, second] = await Promise.all([post(fields), post(fields)]);
    assert.equal(first.statusCode, 303);
    assert.equal(second.statusCode, 303);
    assert.equal((await reviewsSaved()).length, before + 1);
  });

  void test('resubmit with other answers is refused', async () => {
    const fields = reviewFields({ 'reviewDate-day': '24', items: ['PHMETHMNT', 'RECMAID'], confirmWarnings: 'yes' });
    assert.equal((await post(fields)).statusCode, 303);
    // The same form, changed and saved again while the first save was on its way.
    const response = await post({ ...fields, methadoneDose: '65', items: ['PHMETHMNT'] });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), [
      '#reviewDate-day This form was already saved as the review dated 24 March 2024. The answers below differ from it and are not saved. To change that review, choose "Change" next to it on the client record.',
    ]);
    assert.match(response.body, /value="65"/);
    const saved = (await reviewsSaved()).filter((review) => review.review_ref === fields.reviewRef);
    assert.equal(saved.length, 1);
    assert.equal(saved[0]?.methadone_dose, '60.0');
    // The first answers again, items in another order, are the same save.
    assert.equal((await post({ ...fields, items: ['RECMAID', 'PHMETHMNT'] })).statusCode, 303);
  });

  void test('next review carries ticks forward', async () => {
    const response = await web.app.inject({ url: `/episodes/${seeded.episodeId}/reviews/new`, headers: { cookie } });
    assert.match(response.body, /value="PHMETHMNT" checked/);
    assert.match(response.body, /id="methadoneDose" name="methadoneDose" type="text" spellcheck="false" value="60"/);
  });

  void test('concentrate is converted to 1 mg/1 ml', async () => {
    const fields = reviewFields({ methadoneDose: '', concentrateVolume: '6', concentrateStrength: '10', 'reviewDate-day': '25' });
    const response = await post(fields);
    assert.equal(response.statusCode, 303);
    const saved = (await reviewsSaved()).find((review) => review.review_ref === fields.reviewRef);
    assert.equal(Number(saved?.methadone_dose), 60);
  });

  void test('concentrate disagreeing with dose is an error', async () => {
    const response = await post(reviewFields({ methadoneDose: '6', concentrateVolume: '6', concentrateStrength: '10' }));
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#methadoneDose Daily dose of oral methadone (ml) is 6 ml but 6 ml of 10 mg/ml concentrate is 60 mg, recorded as 60 ml of 1 mg/1 ml solution. Clear one of them, or make them agree.']);
  });

  void test('high dose warning needs confirmation', async () => {
    const fields = reviewFields({ methadoneDose: '200', 'reviewDate-day': '28' });
    const warned = await post(fields);
    assert.equal(warned.statusCode, 400);
    assert.deepEqual(errorSummaryOf(warned.body), ['#confirmWarnings Check the warnings, then tick "I have checked this" to save, or change your answers']);
    assert.match(
      warned.body,
      /<li>Daily dose of oral methadone \(ml\) is 200 ml on review R-T\d+, above the usual 150 ml daily dose of oral methadone \(\*\)\. Check the dose against the prescription and confirm it if it is correct\. <span class="waymark-code">Rule A7<\/span><\/li>/,
    );
    const confirmed = await post({ ...fields, confirmWarnings: 'yes' });
    assert.equal(confirmed.statusCode, 303);

    // The tick counts as the month-end confirmation of that warning, by the worker.
    const { db } = web.database;
    const agency = await db.selectFrom('agencies').select(['id', 'code']).where('id', '=', staff.agencyId).executeTakeFirstOrThrow();
    const check = await checkPeriod(db, { agency, period: { year: 2024, month: 3 }, thresholds: defaultThresholds });
    const reviewed = await withConfirmations(db, agency.id, check.findings);
    const doseWarnings = reviewed.filter((finding) => finding.code === 'A7' && finding.record?.id === fields.reviewRef);
    assert.equal(doseWarnings.length, 1);
    assert.equal(doseWarnings[0]?.confirmation?.confirmedBy, `staff:${staff.staffId}`);
    const events = await db.selectFrom('audit_events').select('after').where('action', '=', 'warning.confirm').execute();
    const reviewEvents = events.filter((event) => String((event.after as { recordKey?: string }).recordKey).includes(fields.reviewRef));
    assert.equal(reviewEvents.length, 1);
  });

  void test('purpose must be confirmed', async () => {
    const fields = reviewFields({ items: ['PHCHLDWTH'], methadoneDose: '', ostSupervision: '', 'reviewDate-day': '29' });
    const refused = await post(fields);
    assert.equal(refused.statusCode, 400);
    assert.match(errorSummaryOf(refused.body)[0] ?? '', /^#confirmPurpose-PHCHLDWTH .+ is ticked\. Confirm the purpose: Prescribed to treat acute alcohol withdrawal/);
    const confirmed = await post({ ...fields, confirmPurpose: 'PHCHLDWTH' });
    assert.equal(confirmed.statusCode, 303);
  });

  void test('missing competence must be confirmed', async () => {
    await web.database.db
      .insertInto('interventions')
      .values({ agency_id: staff.agencyId, episode_id: seeded.episodeId, intervention_ref: 'C-100-P', intervention_type: '95', setting: '1', referral_date: '2024-03-05', start_date: '2024-03-06' })
      .execute();
    const fields = reviewFields({ items: ['PSYMOTI'], methadoneDose: '', ostSupervision: '', 'reviewDate-day': '30' });
    const refused = await post(fields);
    assert.equal(refused.statusCode, 400);
    assert.match(errorSummaryOf(refused.body)[0] ?? '', /^#confirmCompetence Your staff record does not show what these items need: Motivational interventions needs competence in structured psychosocial interventions/);
    const confirmed = await post({ ...fields, confirmCompetence: 'yes' });
    assert.equal(confirmed.statusCode, 303);
  });

  void test('post-structured item refused in treatment', async () => {
    const response = await post(reviewFields({ items: ['PHMETHMNT', 'RECCHKP'] }));
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#items-start "Recovery check-ups" cannot be recorded on this review: post-structured-only items may be recorded only after a successful discharge. Untick it.']);
  });

  void test('full-width digits are read', async () => {
    const fields = reviewFields({ methadoneDose: '６２．５', 'reviewDate-day': '１４', 'reviewDate-month': '３', 'reviewDate-year': '２０２４' });
    const response = await post(fields);
    assert.equal(response.statusCode, 303);
    const saved = (await reviewsSaved()).find((row) => row.review_ref === fields.reviewRef);
    assert.equal(saved?.review_date, '2024-03-14');
    assert.equal(Number(saved?.methadone_dose), 62.5);
  });

  void test('superscript dose digit is rejected', async () => {
    const fields = reviewFields({ methadoneDose: '6²', 'reviewDate-day': '15' });
    const response = await post(fields);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), [
      '#methadoneDose Daily dose of oral methadone (ml) is 6², which is not a number greater than zero with at most one decimal place. Enter the daily dose in ml as digits only, for example 30 or 12.5.',
    ]);
    assert.ok(!(await reviewsSaved()).some((row) => row.review_ref === fields.reviewRef));
  });

  void test('repeated date field is rejected', async () => {
    const before = (await reviewsSaved()).length;
    const response = await post(reviewFields({ 'reviewDate-day': ['10', '11'] }));
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /<h1[^>]*>An answer was sent more than once<\/h1>/);
    assert.match(response.body, /Nothing was saved\. The form sent Review date \(day\) more than once, so Waymark cannot tell which value you meant\. Go back, reload the page, enter your answers again and send the form once\./);
    assert.equal((await reviewsSaved()).length, before);
  });

  void test('repeated dose field is rejected', async () => {
    const before = (await reviewsSaved()).length;
    const response = await post(reviewFields({ methadoneDose: ['60', '600'], 'reviewDate-day': '11' }));
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Nothing was saved\./);
    assert.equal((await reviewsSaved()).length, before);
  });

  void test('stale episode version is refused', async () => {
    await web.database.db.updateTable('episodes').set({ version: seeded.episodeVersion + 1 }).where('id', '=', seeded.episodeId).execute();
    const fields = reviewFields({ methadoneDose: '65' });
    const response = await post(fields);
    assert.equal(response.statusCode, 400);
    assert.match(errorSummaryOf(response.body)[0] ?? '', /^#reviewDate-day Someone else changed this episode/);
    assert.match(response.body, /value="65"/);
    assert.ok(!(await reviewsSaved()).some((review) => review.review_ref === fields.reviewRef));
    seeded.episodeVersion += 1;
  });

  void test('missing episode version is refused', async () => {
    for (const episodeVersion of ['', 'abc']) {
      const fields = { ...reviewFields({ methadoneDose: '66' }), episodeVersion };
      const response = await post(fields);
      assert.equal(response.statusCode, 400, episodeVersion);
      assert.deepEqual(errorSummaryOf(response.body), [
        '#reviewDate-day This form arrived without a valid episode version, so Waymark cannot check whether the episode changed since you opened it. Your answers are below but not saved. Check the episode on the client record, then save again.',
      ]);
      assert.match(response.body, /value="66"/);
      assert.match(response.body, new RegExp(`name="episodeVersion" value="${seeded.episodeVersion}"`));
      assert.ok(!(await reviewsSaved()).some((review) => review.review_ref === fields.reviewRef));
    }
  });

  void test('search posts and keeps answers', async () => {
    const before = (await reviewsSaved()).length;
    const response = await post(reviewFields({ reviewRef: 'R-KEEP', searchOnly: 'yes', term: 'librium', methadoneDose: '45', 'reviewDate-day': '17' }));
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<a href="#item-PHCHLDWTH">/);
    assert.match(response.body, /value="PHMETHMNT" checked/);
    assert.match(response.body, /id="methadoneDose" name="methadoneDose" type="text" spellcheck="false" value="45"/);
    assert.match(response.body, /id="reviewDate-day" name="reviewDate-day" type="text" value="17"/);
    assert.match(response.body, /id="ostSupervision" name="ostSupervision" type="radio" value="1" checked/);
    assert.match(response.body, /name="reviewRef" value="R-KEEP"/);
    assert.doesNotMatch(response.body, /nhsuk-error-summary/);
    assert.equal((await reviewsSaved()).length, before);
  });

  void test('search button posts the form', async () => {
    const response = await web.app.inject({ url: `/episodes/${seeded.episodeId}/reviews/new`, headers: { cookie } });
    assert.match(response.body, /<button [^>]*type="submit" name="searchOnly" value="yes"[^>]*>Search<\/button>/);
    assert.doesNotMatch(response.body, /formmethod="get"/);
  });

  void test('form ignores answers in the URL', async () => {
    const query = new URLSearchParams({ reviewRef: 'R-FROMURL', episodeVersion: '1', term: 'librium', methadoneDose: '45' });
    const response = await web.app.inject({ url: `/episodes/${seeded.episodeId}/reviews/new?${query.toString()}`, headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.doesNotMatch(response.body, /R-FROMURL/);
    assert.match(response.body, /name="reviewRef" value="R-[A-Z2-9]{8}"/);
  });

  void test('invalid review reference is refused', async () => {
    const before = (await reviewsSaved()).length;
    const invalidReferences = ['R-X,Y"Z', 'R-A\nB', '=cmd|calc', 'L'.repeat(300), 'R-\u202EABC', 'R-ÄB', ''];
    for (const reviewRef of invalidReferences) {
      const response = await post(reviewFields({ reviewRef, 'reviewDate-day': '18' }));
      assert.equal(response.statusCode, 400, JSON.stringify(reviewRef));
      assert.deepEqual(
        errorSummaryOf(response.body),
        ['#reviewDate-day The review reference this form carries is missing or invalid: it must be 1 to 20 letters, digits and hyphens. Nothing was saved. Reload the form to get a new reference, then enter your answers again.'],
        JSON.stringify(reviewRef),
      );
      assert.match(response.body, /id="methadoneDose" name="methadoneDose" type="text" spellcheck="false" value="60"/);
    }
    assert.equal((await reviewsSaved()).length, before);
  });

  void test('20-character reference is saved', async () => {
    const fields = reviewFields({ reviewRef: 'R-ABCDEFGHJKLMNPQRST', 'reviewDate-day': '19' });
    assert.equal(fields.reviewRef.length, 20);
    const response = await post(fields);
    assert.equal(response.statusCode, 303);
    assert.ok((await reviewsSaved()).some((review) => review.review_ref === fields.reviewRef));
  });

  void test('save sees a change made after the last save', async () => {
    const first = reviewFields({ 'reviewDate-day': '21' });
    assert.equal((await post(first)).statusCode, 303);
    // Ended outside the app, so only the database has the change. The next save must not rely on the record the first save kept.
    await web.database.db.updateTable('interventions').set({ end_date: '2024-03-22', exit_status: '1' }).where('episode_id', '=', seeded.episodeId).execute();
    try {
      const later = reviewFields({ 'reviewDate-day': '23' });
      const response = await post(later);
      assert.equal(response.statusCode, 400);
      assert.match(errorSummaryOf(response.body).join('\n'), new RegExp(`${later.reviewRef} dated 23 March 2024`));
      assert.equal((await reviewsSaved()).some((review) => review.review_ref === later.reviewRef), false);
    } finally {
      await web.database.db.updateTable('interventions').set({ end_date: null, exit_status: null }).where('episode_id', '=', seeded.episodeId).execute();
    }
  });

  void test('save rechecks after a change under it', async () => {
    const logLines: string[] = [];
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logLines.push(chunk.toString('utf8'));
        callback();
      },
    });
    // Another worker's review lands after the save has read the record, before its insert.
    const records = new ChangeAfterLoad();
    const logged = await createWebTestApp({ logger: pino({ level: 'info' }, logStream), records });
    try {
      const member = await seedStaff(logged.database, { roles: ['keyworker'], email: 'kw-race@example.invalid' });
      const memberCookie = await signIn(logged.app, member.email);
      const episode = await seedClientWithIntervention(logged.database, member, 'C-RACE');
      // Opening the form reads the record and keeps it, as a worker's browser would.
      const url = `/episodes/${episode.episodeId}/reviews/new`;
      const csrf = await fetchCsrf(logged.app, [url], memberCookie);

      records.change = async () => {
        const other = await logged.database.db
          .insertInto('reviews')
          .values({ agency_id: member.agencyId, episode_id: episode.episodeId, review_ref: 'R-OTHER', review_date: '2024-03-11', delivered_by_staff_id: member.staffId })
          .returning('id')
          .executeTakeFirstOrThrow();
        await logged.database.db.insertInto('review_items').values({ review_id: other.id, sub_intervention_code: 'PSYBRIEF' }).execute();
      };
      const fields = { ...reviewFields({ reviewRef: 'R-RACE', 'reviewDate-day': '12' }), episodeVersion: String(episode.episodeVersion), _csrf: csrf.token };
      const response = await postFormWithoutCsrf(logged.app, url, fields, `${memberCookie}; ${csrf.cookie}`);
      assert.equal(response.statusCode, 303);
      const saved = await logged.database.db.selectFrom('reviews').select('review_ref').where('episode_id', '=', episode.episodeId).orderBy('review_ref').execute();
      assert.deepEqual(saved.map((row) => row.review_ref), ['R-OTHER', 'R-RACE']);
      const messages = logLines.map((line) => (JSON.parse(line) as { msg: string }).msg);
      assert.equal(messages.filter((message) => message === 'review save found the client changed since its rules ran: checking again under a lock').length, 1);
      assert.equal(messages.filter((message) => message === 'review recorded').length, 1);
    } finally {
      await logged.close();
    }
  });

  void test('lookup endpoint returns JSON matches', async () => {
    const response = await web.app.inject({ url: '/catalogue/lookup?term=suboxone', headers: { cookie } });
    assert.equal(response.statusCode, 200);
    const codes = (response.json() as { code: string }[]).map((match) => match.code);
    assert.deepEqual(codes, ['PHBNXSTB', 'PHBNXWTH', 'PHBNXMNT']);
  });
});

/** A client record cache that runs `change` once, straight after the next record it reads. */
class ChangeAfterLoad extends ClientRecordCache {
  change: (() => Promise<void>) | undefined;

  override async load(db: WebDatabase, clientId: number, version?: ClientVersion): Promise<ClientRecord | undefined> {
    const record = await super.load(db, clientId, version);
    const change = this.change;
    this.change = undefined;
    await change?.();
    return record;
  }
}
