import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { cdsQDataset } from '../../dataset/index.js';
import type { Client } from '../../domain/model.js';
import { periodEnd } from '../../domain/reporting-period.js';
import type { Finding } from '../../rules/finding.js';
import { defaultThresholds } from '../../rules/thresholds.js';
import { validateClient } from '../../rules/validate-client.js';
import { findAgency } from '../agencies-repository.js';
import { extractClients } from '../extraction.js';
import { describeEachDatabase, type TestDatabase } from '../testing/test-databases.js';
import { DemoAlreadyLoadedError, loadDemo, type DemoSummary } from './load-demo.js';

const period = { year: 2024, month: 3 };

async function findingsOfMonth(database: TestDatabase): Promise<Finding[]> {
  const agency = await findAgency(database.db, 'DEMO1');
  assert.ok(agency);
  const context = { dataset: cdsQDataset, thresholds: defaultThresholds, latestAllowedDate: periodEnd(period) };
  const findings: Finding[] = [];
  const clients: Client[] = [];
  for await (const client of extractClients(database.db, agency, period)) clients.push(client);
  for (const client of clients) findings.push(...validateClient(client, context));
  return findings;
}

describeEachDatabase('loadDemo', (target) => {
  let withProblems: TestDatabase;
  let clean: TestDatabase;
  let summary: DemoSummary;

  before(async () => {
    withProblems = await target.create();
    clean = await target.create();
    summary = await loadDemo(withProblems.db, { clients: 150, period });
    await loadDemo(clean.db, { clients: 150, period, clean: true });
  });
  after(async () => {
    await withProblems.dispose();
    await clean.dispose();
  });

  void it('creates teams, staff and clients', async () => {
    const teams = await withProblems.db.selectFrom('teams').select('name').orderBy('id').execute();
    assert.deepEqual(teams.map((team) => team.name), ['North team', 'South team', 'Alcohol team']);

    const staff = await withProblems.db.selectFrom('staff').select(['email', 'roles', 'password_hash']).orderBy('id').execute();
    assert.equal(staff.length, 12);
    assert.equal(staff[0]?.email, 'ana.keyworker@demo.invalid');
    assert.ok(staff.every((member) => member.password_hash === null));
    for (const role of ['keyworker', 'prescriber', 'team-leader', 'data-officer', 'administrator']) {
      assert.ok(staff.some((member) => member.roles.includes(role)), `no staff member has role ${role}`);
    }

    const clients = await withProblems.db.selectFrom('clients').select(['team_id', 'keyworker_id']).execute();
    assert.equal(clients.length, 150);
    assert.equal(summary.clients, 150);
    assert.ok(clients.every((client) => client.team_id !== null && client.keyworker_id !== null));
  });

  void it('lists each planted problem', () => {
    assert.deepEqual(
      summary.planted.map((problem) => problem.rule).sort(),
      ['A2', 'A9', 'D6', 'D9'],
    );
    assert.equal(new Set(summary.planted.map((problem) => problem.clientId)).size, 4);
  });

  void it('plants problems the rules find', async () => {
    const findings = await findingsOfMonth(withProblems);
    for (const problem of summary.planted) {
      const found = findings.some((finding) => finding.code === problem.rule && finding.clientId === problem.clientId);
      assert.ok(found, `rule ${problem.rule} did not report client ${problem.clientId}: ${problem.description}`);
    }
  });

  void it('plants nothing when clean', async () => {
    const errors = (await findingsOfMonth(clean)).filter((finding) => finding.severity === 'error');
    assert.deepEqual(errors, []);
  });

  void it('rejects a second load', async () => {
    await assert.rejects(loadDemo(clean.db, { clients: 1, period }), DemoAlreadyLoadedError);
  });
});
