import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Client } from '../../domain/model.js';
import { reportCatalogue, reportNamed } from '../../reports/catalogue.js';
import { toCsv } from '../../reports/csv.js';
import { showTable } from '../../reports/report-tables.js';
import { addStaffToTeam, fixtureClientsOfTeam, seedReportFixture, storedReportFixture } from '../testing/report-seed.js';
import { createWebTestApp, decodeEntities, errorSummaryOf, seedStaff, signIn } from '../testing/web-test-app.js';
import type { SeededStaff, WebTestApp } from '../testing/web-test-app.js';

const period = { year: 2024, month: 3 };

/** The exact table a report function gives on the fixture clients, as the page should show it. */
function expectedRows(name: string, clients: Client[]): string[][] {
  const entry = reportNamed(name);
  assert.ok(entry, `no report named ${name}`);
  const shown = showTable(entry.compute(clients, period).table, false).csv;
  return [shown.header, ...shown.rows.map((row) => row.map((cell) => String(cell)))];
}

/** Reads the header and body cells of the page's full-figures table. */
function pageTableRows(html: string): string[][] {
  const table = /<table class="nhsuk-table" id="report-table">([\s\S]*?)<\/table>/.exec(html)?.[1];
  assert.ok(table, 'page has no report table');
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => decodeEntities(cell[1] ?? '').trim()),
  );
}

function csvCells(text: string): string[][] {
  return parse(text, { bom: true }) as string[][];
}

void describe('report pages', () => {
  let web: WebTestApp;
  let officer: SeededStaff;
  let officerCookie: string;
  let keyworkerCookie: string;
  let leaderCookie: string;

  before(async () => {
    web = await createWebTestApp();
    officer = await seedStaff(web.database, { roles: ['data-officer'], email: 'officer@example.invalid' });
    const seeded = await seedReportFixture(web.database, officer);
    await addStaffToTeam(web.database, officer.organisationId, officer.teamId, ['keyworker'], 'keyworker@example.invalid', 'Kim Worker');
    await addStaffToTeam(web.database, officer.organisationId, seeded.southTeamId, ['team-leader'], 'leader@example.invalid');
    officerCookie = await signIn(web.app, officer.email);
    keyworkerCookie = await signIn(web.app, 'keyworker@example.invalid');
    leaderCookie = await signIn(web.app, 'leader@example.invalid');
  });
  after(async () => web.close());

  const pageUrl = (name: string): string => `/reports/${name}?agency=${officer.agencyId}&period=2024-03`;
  const downloadUrl = (name: string, version: string): string => `/reports/${name}/download?agency=${officer.agencyId}&period=2024-03&version=${version}`;

  void test('index lists every report', async () => {
    const response = await web.app.inject({ url: '/reports', headers: { cookie: officerCookie } });
    assert.equal(response.statusCode, 200);
    for (const entry of reportCatalogue) assert.ok(response.body.includes(`href="/reports/${entry.name}"`), `no link to ${entry.name}`);
  });

  for (const entry of reportCatalogue) {
    void test(`${entry.name} page matches report`, async () => {
      const response = await web.app.inject({ url: pageUrl(entry.name), headers: { cookie: officerCookie } });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(pageTableRows(response.body), expectedRows(entry.name, storedReportFixture()));

      const computed = entry.compute(storedReportFixture(), period);
      const svgs = [...response.body.matchAll(/<svg [^>]*role="img"[^>]*>\s*<title id="([^"]+)">([^<]+)<\/title>/g)];
      assert.deepEqual(svgs.map((match) => match[2]), computed.charts.map((chart) => chart.title));
      for (const chart of computed.charts) {
        assert.ok(response.body.includes(`Data for the chart: ${chart.title}`), `no data table for ${chart.title}`);
        for (const point of chart.points) assert.match(response.body, new RegExp(`<th scope="row" class="nhsuk-table__cell">${escapeRegExp(point.label)}</th>\\s*<td[^>]*>${point.value}</td>`));
      }
      for (const headline of computed.headlines) assert.ok(decodeEntities(response.body).includes(`${headline.label}</dt>\n        <dd class="nhsuk-summary-list__value">${headline.value}`), `headline ${headline.label} missing`);
      assert.ok(response.body.includes('How this is counted'));
      assert.ok(decodeEntities(response.body).includes(computed.table.explanation));
      assert.doesNotMatch(response.body, /style=/);
    });
  }

  void test('exact CSV has exact counts', async () => {
    const response = await web.app.inject({ url: downloadUrl('clients-in-treatment', 'exact'), headers: { cookie: officerCookie } });
    const entry = reportNamed('clients-in-treatment');
    assert.ok(entry);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/csv/);
    assert.equal(response.headers['content-disposition'], 'attachment; filename="TEST1_2024-03_clients-in-treatment_internal-exact.csv"');
    assert.equal(response.body, toCsv(showTable(entry.compute(storedReportFixture(), period).table, false).csv));
  });

  void test('shareable CSV is suppressed', async () => {
    for (const entry of reportCatalogue) {
      const response = await web.app.inject({ url: downloadUrl(entry.name, 'shareable'), headers: { cookie: officerCookie } });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-disposition'], `attachment; filename="TEST1_2024-03_${entry.name}_shareable.csv"`);
      assert.equal(response.body, toCsv(showTable(entry.compute(storedReportFixture(), period).table, true).csv));
      const counts = csvCells(response.body).slice(1).flatMap((row) => row.slice(1));
      assert.deepEqual(counts.filter((cell) => cell !== '*' && Number(cell) % 5 !== 0), [], `${entry.name} shows an unrounded count`);
    }
    // Nine clients give small counts, so the shareable file must hide some of them.
    const inTreatment = await web.app.inject({ url: downloadUrl('clients-in-treatment', 'shareable'), headers: { cookie: officerCookie } });
    assert.ok(csvCells(inTreatment.body).slice(1).some((row) => row.includes('*')));
  });

  void test('download records an audit event', async () => {
    await web.app.inject({ url: downloadUrl('waiting-times', 'shareable'), headers: { cookie: officerCookie } });
    const event = await web.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'report.download').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(event.actor, 'staff:' + String(officer.staffId));
    assert.equal(event.entity_id, 'waiting-times');
    assert.deepEqual(event.after, { agency: 'TEST1', period: '2024-03', version: 'shareable', wholeAgency: true });
  });

  void test('team leader sees own team only', async () => {
    for (const name of ['clients-in-treatment', 'ost-doses']) {
      const response = await web.app.inject({ url: pageUrl(name), headers: { cookie: leaderCookie } });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(pageTableRows(response.body), expectedRows(name, fixtureClientsOfTeam(true)));
      assert.match(response.body, /placed in your teams/);
    }
  });

  void test('keyworker gets 403', async () => {
    for (const url of ['/reports', pageUrl('ost-doses'), downloadUrl('ost-doses', 'exact')]) {
      const response = await web.app.inject({ url, headers: { cookie: keyworkerCookie } });
      assert.equal(response.statusCode, 403, url);
      assert.doesNotMatch(response.body, /<svg/);
    }
  });

  void test('invalid month shows an error', async () => {
    const response = await web.app.inject({ url: `/reports/ost-doses?agency=${officer.agencyId}&period=2024-13`, headers: { cookie: officerCookie } });
    assert.equal(response.statusCode, 400);
    assert.match(decodeEntities(response.body), /Enter the month as YYYY-MM, for example 2024-03\. "2024-13" is not a month in that form\./);
    assert.doesNotMatch(response.body, /id="report-table"/);
  });

  void test('control characters are not echoed', async () => {
    const page = await web.app.inject({ url: `/reports/ost-doses?agency=${officer.agencyId}&period=2024-03%00`, headers: { cookie: officerCookie } });
    assert.equal(page.statusCode, 400);
    assert.ok(!page.body.includes('\u0000'));
    assert.deepEqual(errorSummaryOf(page.body), ['#period Enter the month as YYYY-MM, for example 2024-03. The month you entered contains characters that cannot be shown.']);
    assert.match(page.body, /name="period" type="text"[^>]* value="2024-03"/);

    const download = await web.app.inject({ url: `/reports/ost-doses/download?agency=${officer.agencyId}&period=2024-03&version=exact%1B`, headers: { cookie: officerCookie } });
    assert.equal(download.statusCode, 400);
    assert.ok(!download.body.includes('\u001B'));
    assert.match(download.body, /The download version you entered is not known\. Choose exact or shareable\./);
  });

  void test('future month shows an error', async () => {
    const response = await web.app.inject({ url: `/reports/ost-doses?agency=${officer.agencyId}&period=2999-01`, headers: { cookie: officerCookie } });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /2999-01 is in the future/);
  });

  void test('unknown download version is rejected', async () => {
    const response = await web.app.inject({ url: downloadUrl('ost-doses', 'raw'), headers: { cookie: officerCookie } });
    assert.equal(response.statusCode, 400);
    assert.match(decodeEntities(response.body), /The download version "raw" is not known\. Choose exact or shareable\./);
  });

  void test('unknown report or agency is 404', async () => {
    const other = await seedStaff(web.database, { roles: ['data-officer'], email: 'other@example.invalid', agencyCode: 'OTHR1' });
    for (const url of ['/reports/caseloads', `/reports/ost-doses?agency=${other.agencyId}&period=2024-03`, `/reports/ost-doses/download?agency=${other.agencyId}&period=2024-03&version=exact`]) {
      const response = await web.app.inject({ url, headers: { cookie: officerCookie } });
      assert.equal(response.statusCode, 404, url);
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
