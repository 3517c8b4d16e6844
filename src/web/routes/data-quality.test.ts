import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { insertClientTrees } from '../../db/client-batch-insert.js';
import type { Client, Episode, Intervention, SubInterventionReview } from '../../domain/model.js';
import { addDays, todayInEngland, type PlainDate } from '../../domain/plain-date.js';
import { addStaffToTeam } from '../testing/report-seed.js';
import { createWebTestApp, decodeEntities, seedStaff, signIn } from '../testing/web-test-app.js';
import type { SeededStaff, WebTestApp } from '../testing/web-test-app.js';

// Five clients whose figures are worked out by hand in the tests below. Reviews are dated
// relative to today, because "overdue" compares the last review with today minus 6 months.
const recent = addDays(todayInEngland(), -30);

function intervention(id: string, type: string, end?: { date: string; exit: string }): Intervention {
  return {
    interventionId: id,
    interventionType: type,
    setting: '1',
    referralDate: '2024-03-05' as PlainDate,
    firstAppointmentOfferedDate: undefined,
    startDate: '2024-03-06' as PlainDate,
    endDate: end?.date as PlainDate | undefined,
    exitStatus: end?.exit,
  };
}

function review(id: string, date: PlainDate, delivered: string[], methadoneDose?: number, ostSupervision?: string): SubInterventionReview {
  return { reviewId: id, reviewDate: date, delivered, methadoneDose, buprenorphineDose: undefined, ostSupervision, relapsePreventionPrescribing: undefined };
}

function episode(id: string, interventions: Intervention[], reviews: SubInterventionReview[], discharge?: { date: string; reason: string }): Episode {
  return {
    episodeId: id,
    referralDate: '2024-03-01' as PlainDate,
    triageDate: '2024-03-05' as PlainDate,
    dischargeDate: discharge?.date as PlainDate | undefined,
    dischargeReason: discharge?.reason,
    interventions,
    reviews,
  };
}

function client(clientId: string, episodes: Episode[]): Client {
  return { agency: 'TEST1', clientId, firstInitial: 'A', surnameInitial: 'B', dateOfBirth: '1980-06-15' as PlainDate, sex: 'F', consent: 'Y', episodes };
}

/**
 * DQ-A: open episode, no review yet, so overdue.
 * DQ-B: recent methadone review with no dose and no supervision answer: errors A2 and A5.
 * DQ-C: discharged after a psychosocial review (OSTSUP 99, not applicable), so not overdue however old the review.
 * DQ-D: last review in April 2024 (overdue) with 160 ml of methadone: warning A7.
 * DQ-E: no consent and no episode, so only AGNCY, CLIENTID and CONSENT apply.
 */
function dataQualityFixture(): Client[] {
  return [
    client('DQ-A', [episode('EP-A', [intervention('IN-A', '94')], [])]),
    client('DQ-B', [episode('EP-B', [intervention('IN-B', '94')], [review('RV-B', recent, ['PHMETHMNT'])])]),
    client('DQ-C', [
      episode('EP-C', [intervention('IN-C', '95', { date: '2024-06-01', exit: 'A' })], [review('RV-C', '2024-04-01' as PlainDate, ['PSYMOTI'], undefined, '99')], { date: '2024-06-01', reason: '80' }),
    ]),
    client('DQ-D', [episode('EP-D', [intervention('IN-D', '94')], [review('RV-D', '2024-04-01' as PlainDate, ['PHMETHMNT'], 160, '1')])]),
    { agency: 'TEST1', clientId: 'DQ-E', firstInitial: undefined, surnameInitial: undefined, dateOfBirth: undefined, sex: undefined, consent: 'N', episodes: [] },
  ];
}

/** Reads the body rows of the first table after a heading, as cell texts without the screen-reader-only words. */
function tableAfter(html: string, heading: string): string[][] {
  const start = html.indexOf(`<h2 class="nhsuk-heading-m">${heading}</h2>`);
  assert.ok(start >= 0, `no heading ${heading}`);
  const body = /<tbody class="nhsuk-table__body">([\s\S]*?)<\/tbody>/.exec(html.slice(start))?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      decodeEntities((cell[1] ?? '').replace(/<span class="nhsuk-u-visually-hidden">[\s\S]*?<\/span>/g, '').replace(/<[^>]+>/g, '')).trim(),
    ),
  );
}

/** Finds the link of the count in a table row, by the screen-reader text that names it. */
function linkNamed(html: string, hiddenText: string): string {
  const match = new RegExp(`<a href="([^"]+)">\\d+<span class="nhsuk-u-visually-hidden"> ${hiddenText}</span></a>`).exec(html);
  assert.ok(match, `no link for "${hiddenText}"`);
  return decodeEntities(match[1] ?? '');
}

/** Reads the record list: client reference and link, then the other cells. */
function recordRows(html: string): string[][] {
  const body = /<table class="nhsuk-table" id="records">[\s\S]*?<tbody class="nhsuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => decodeEntities((cell[1] ?? '').replace(/<a href="([^"]+)">([^<]*)<\/a>/, '$2 $1')).trim()),
  );
}

void describe('data quality pages', () => {
  let web: WebTestApp;
  let officer: SeededStaff;
  let officerCookie: string;
  let leaderCookie: string;
  let keyworkerCookie: string;
  let ids: Map<string, number>;

  before(async () => {
    web = await createWebTestApp();
    const { db } = web.database;
    officer = await seedStaff(web.database, { roles: ['data-officer'], email: 'officer@example.invalid' });
    const south = await db.insertInto('teams').values({ agency_id: officer.agencyId, name: 'South team' }).returning('id').executeTakeFirstOrThrow();
    const kim = await addStaffToTeam(web.database, officer.organisationId, officer.teamId, ['keyworker'], 'kim@example.invalid', 'Kim Worker');
    await addStaffToTeam(web.database, officer.organisationId, south.id, ['team-leader'], 'leader@example.invalid');
    ids = await insertClientTrees(db, officer.agencyId, dataQualityFixture());
    const placement: Record<string, { team: number; keyworker: number | null }> = {
      'DQ-A': { team: officer.teamId, keyworker: kim },
      'DQ-B': { team: officer.teamId, keyworker: null },
      'DQ-C': { team: south.id, keyworker: kim },
      'DQ-D': { team: south.id, keyworker: kim },
      'DQ-E': { team: officer.teamId, keyworker: null },
    };
    for (const [clientRef, place] of Object.entries(placement)) {
      await db.updateTable('clients').set({ team_id: place.team, keyworker_id: place.keyworker }).where('id', '=', ids.get(clientRef) as number).execute();
    }
    officerCookie = await signIn(web.app, officer.email);
    leaderCookie = await signIn(web.app, 'leader@example.invalid');
    keyworkerCookie = await signIn(web.app, 'kim@example.invalid');
  });
  after(async () => web.close());

  const get = async (url: string, cookie: string): Promise<{ statusCode: number; body: string }> => web.app.inject({ url, headers: { cookie } });

  void test('figures by team and keyworker', async () => {
    const page = await get('/data-quality', officerCookie);
    assert.equal(page.statusCode, 200);
    // Columns: name, clients, reviews overdue, errors, warnings.
    assert.deepEqual(tableAfter(page.body, 'By team'), [
      ['North team', '3', '1', '2', '0'],
      ['South team', '2', '1', '0', '1'],
    ]);
    assert.deepEqual(tableAfter(page.body, 'By keyworker'), [
      ['Kim Worker', '3', '2', '0', '1'],
      ['No keyworker', '2', '0', '2', '0'],
    ]);
  });

  void test('open findings by rule', async () => {
    const page = await get('/data-quality', officerCookie);
    // Columns: rule, severity, findings, clients.
    assert.deepEqual(tableAfter(page.body, 'Open findings by rule').map((row) => [row[0]?.split(':')[0], row[1], row[2], row[3]]), [
      ['A2', 'Error', '1', '1'],
      ['A5', 'Error', '1', '1'],
      ['A7', 'Warning', '1', '1'],
    ]);
  });

  void test('completeness of every field', async () => {
    const page = await get('/data-quality', officerCookie);
    const rows = tableAfter(page.body, 'Completeness by field').map((row) => [row[0]?.split(':')[0], row[1], row[3], row[4], row[5]]);
    // Columns: field, kind and records, filled, empty, share filled.
    assert.deepEqual(rows, [
      ['AGNCY', 'Client (5)', '5', '0', '100%'],
      ['CLIENTID', 'Client (5)', '5', '0', '100%'],
      ['FINITIAL', 'Client (4)', '4', '0', '100%'],
      ['SINITIAL', 'Client (4)', '4', '0', '100%'],
      ['DOB', 'Client (4)', '4', '0', '100%'],
      ['SEX', 'Client (4)', '4', '0', '100%'],
      ['CONSENT', 'Client (5)', '5', '0', '100%'],
      ['EPISODID', 'Episode (4)', '4', '0', '100%'],
      ['REFLD', 'Episode (4)', '4', '0', '100%'],
      ['TRIAGED', 'Episode (4)', '4', '0', '100%'],
      ['DISD', 'Episode (4)', '1', '3', '25%'],
      ['DISRSN', 'Episode (4)', '1', '3', '25%'],
      ['MODID', 'Intervention (4)', '4', '0', '100%'],
      ['MODAL', 'Intervention (4)', '4', '0', '100%'],
      ['MODSET', 'Intervention (4)', '4', '0', '100%'],
      ['REFMODDT', 'Intervention (4)', '4', '0', '100%'],
      ['FAOMODDT', 'Intervention (4)', '0', '4', '0%'],
      ['MODST', 'Intervention (4)', '4', '0', '100%'],
      ['MODEND', 'Intervention (4)', '1', '3', '25%'],
      ['MODEXIT', 'Intervention (4)', '1', '3', '25%'],
      ['SUBMID', 'Review (3)', '3', '0', '100%'],
      ['SUBMODDT', 'Review (3)', '3', '0', '100%'],
      ['METHDOSE', 'Review (3)', '1', '2', '33%'],
      ['BUPDOSE', 'Review (3)', '0', '3', '0%'],
      ['OSTSUP', 'Review (3)', '2', '1', '67%'],
      ['RPPRESC', 'Review (3)', '0', '3', '0%'],
    ]);
  });

  void test('overdue link lists the clients', async () => {
    const page = await get('/data-quality', officerCookie);
    const records = await get(linkNamed(page.body, 'reviews overdue, Kim Worker'), officerCookie);
    assert.equal(records.statusCode, 200);
    assert.deepEqual(recordRows(records.body), [
      [`DQ-A /clients/${ids.get('DQ-A')}`, 'None yet'],
      [`DQ-D /clients/${ids.get('DQ-D')}`, '1 April 2024'],
    ]);
  });

  void test('errors link lists the findings', async () => {
    const page = await get('/data-quality', officerCookie);
    const records = await get(linkNamed(page.body, 'errors, North team'), officerCookie);
    const rows = recordRows(records.body);
    assert.deepEqual(rows.map((row) => [row[0], row[1], row[2]?.split(':')[0]]), [
      [`DQ-B /clients/${ids.get('DQ-B')}`, 'Review RV-B', 'A2'],
      [`DQ-B /clients/${ids.get('DQ-B')}`, 'Review RV-B', 'A5'],
    ]);
  });

  void test('rule link lists the findings', async () => {
    const page = await get('/data-quality', officerCookie);
    const records = await get(linkNamed(page.body, 'findings of rule A7'), officerCookie);
    assert.deepEqual(recordRows(records.body).map((row) => [row[0], row[1]]), [[`DQ-D /clients/${ids.get('DQ-D')}`, 'Review RV-D']]);
  });

  void test('empty field link lists the records', async () => {
    const page = await get('/data-quality', officerCookie);
    const records = await get(linkNamed(page.body, 'records with METHDOSE empty'), officerCookie);
    assert.deepEqual(recordRows(records.body), [
      [`DQ-B /clients/${ids.get('DQ-B')}`, 'Review RV-B'],
      [`DQ-C /clients/${ids.get('DQ-C')}`, 'Review RV-C'],
    ]);
    const filled = await get(linkNamed(page.body, 'records with DISD filled'), officerCookie);
    assert.deepEqual(recordRows(filled.body), [[`DQ-C /clients/${ids.get('DQ-C')}`, 'Episode EP-C']]);
  });

  void test('team leader sees own team only', async () => {
    const page = await get('/data-quality', leaderCookie);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(tableAfter(page.body, 'By team'), [['South team', '2', '1', '0', '1']]);
    assert.deepEqual(tableAfter(page.body, 'By keyworker'), [['Kim Worker', '2', '1', '0', '1']]);
    const clients = await get(linkNamed(page.body, 'clients, South team'), leaderCookie);
    assert.deepEqual(recordRows(clients.body).map((row) => row[0]), [`DQ-C /clients/${ids.get('DQ-C')}`, `DQ-D /clients/${ids.get('DQ-D')}`]);
  });

  void test('keyworker gets 403', async () => {
    for (const url of ['/data-quality', `/data-quality/records?agency=${officer.agencyId}&measure=clients`]) {
      const response = await get(url, keyworkerCookie);
      assert.equal(response.statusCode, 403, url);
    }
  });

  void test('unknown measure is rejected', async () => {
    const response = await get(`/data-quality/records?agency=${officer.agencyId}&measure=everything`, officerCookie);
    assert.equal(response.statusCode, 400);
    assert.match(decodeEntities(response.body), /The measure "everything" is not known\./);
    const field = await get(`/data-quality/records?agency=${officer.agencyId}&measure=missing&field=PHMETHMNT`, officerCookie);
    assert.equal(field.statusCode, 400);
    assert.match(decodeEntities(field.body), /The field "PHMETHMNT" is not a CDS-Q field whose completeness is measured\./);
  });
});
