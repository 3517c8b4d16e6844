import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSearch } from './routes/caseload.js';
import { dateInputItems } from './forms/date-input.js';
import { createViewEnvironment } from './render.js';

void test('trim filter strips white space', () => {
  const environment = createViewEnvironment();
  assert.equal(environment.renderString('[{{ " \\n\\t a  b \\r\\n" | trim }}]', {}), '[a  b]');
  assert.equal(environment.renderString('[{{ "" | trim }}]', {}), '[]');
});

void test('trim filter keeps safeness', () => {
  const environment = createViewEnvironment();
  assert.equal(environment.renderString('{{ " <b>x</b> " | safe | trim }}', {}), '<b>x</b>');
  assert.equal(environment.renderString('{{ " <b>x</b> " | trim }}', {}), '&lt;b&gt;x&lt;/b&gt;');
});

void test('renderOnce keeps first markup', () => {
  const environment = createViewEnvironment();
  const blank = readSearch({});
  const values = { search: blank, dobItems: dateInputItems('dob', blank.dobParts, false), fieldErrors: {} };
  const expected = environment.render('caseload-search.njk', values);
  assert.match(expected, /<form method="post" action="\/search" id="caseload-search" novalidate>/);
  assert.equal(environment.renderString('{{ renderOnce("caseload-search.njk") }}', values), expected);
  const other = { ...values, search: { ...blank, clientRef: 'C-1' } };
  assert.equal(environment.renderString('{{ renderOnce("caseload-search.njk") }}', other), expected);
});

void test('renderCached reuses markup per key', () => {
  const environment = createViewEnvironment();
  const row = { id: 1, clientRef: 'C-1', initials: 'JS', dateOfBirth: '1990-07-15', currentInterventions: [], lastReviewDate: null, reviewOverdue: false, errors: 0, warnings: 0 };
  const values = { rows: [row], total: 1, pagination: { number: 1, count: 1 }, overdueMonths: 6 };
  const first = environment.renderString('{{ renderCached("caseload-table.njk", "k1") }}', values);
  assert.match(first, />C-1<\/a> JS/);

  const renamed = { ...values, rows: [{ ...row, clientRef: 'C-2' }] };
  assert.equal(environment.renderString('{{ renderCached("caseload-table.njk", "k1") }}', renamed), first);
  const again = environment.renderString('{{ renderCached("caseload-table.njk", "k2") }}', renamed);
  assert.match(again, />C-2<\/a> JS/);
});
