import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import { findAgency } from '../db/agencies-repository.js';
import type { AgencyRef } from '../db/clients-repository.js';
import { loadDemo, type DemoSummary } from '../db/demo/load-demo.js';
import { describeEachDatabase, type TestDatabase } from '../db/testing/test-databases.js';
import type { PlainDate } from '../domain/plain-date.js';
import { defaultThresholds } from '../rules/thresholds.js';
import { checkPeriod, type CheckFinding, type CheckResult } from './check.js';
import { confirmWarnings, withConfirmations } from './confirmations.js';
import { explainFileLine } from './file-rows.js';
import { listSubmissions, readSubmissionFile } from './submission-records.js';
import { generateSubmission, markSubmissionSent, recordCheck, SubmissionRejectedError } from './submissions.js';

const march2024 = { year: 2024, month: 3 };
const midApril = '2024-04-15' as PlainDate;
const actor = 'staff:1';

function only<T>(items: T[], description: string): T {
  assert.equal(items.length, 1, `expected one ${description}, found ${items.length}`);
  return items[0] as T;
}

describeEachDatabase('month-end submission workflow', (target) => {
  let database: TestDatabase;
  let summary: DemoSummary;
  let agency: AgencyRef;

  const check = (): Promise<CheckResult> => checkPeriod(database.db, { agency, period: march2024, thresholds: defaultThresholds });
  const generate = (period = march2024, today = midApril): Promise<number> =>
    generateSubmission(database.db, { agency, period, actor, today, thresholds: defaultThresholds });
  const record = (period = march2024, today = midApril): Promise<number> => recordCheck(database.db, { agency, period, actor, today, thresholds: defaultThresholds });
  let firstCheck = 0;
  let secondCheck = 0;
  const auditActions = async (action: string): Promise<number> =>
    (await database.db.selectFrom('audit_events').select('id').where('action', '=', action).execute()).length;
  const warningsOf = async (code: string): Promise<CheckFinding[]> => (await check()).findings.filter((finding) => finding.code === code);

  before(async () => {
    database = await target.create();
    summary = await loadDemo(database.db, { clients: 150, period: march2024 });
    const found = await findAgency(database.db, summary.agencyCode);
    assert.ok(found);
    agency = { id: found.id, code: found.code };
  });
  after(async () => {
    await database.dispose();
  });

  void it('pre-flight finds exactly the planted problems', async () => {
    const result = await check();
    const found = [...new Set(result.findings.map((finding) => `${finding.code} ${finding.clientId}`))].sort();
    const planted = summary.planted.map((problem) => `${problem.rule} ${problem.clientId}`).sort();
    assert.deepEqual(found, planted);

    const keyworkers = await database.db
      .selectFrom('clients as c')
      .innerJoin('staff as s', 's.id', 'c.keyworker_id')
      .select(['c.client_ref', 's.display_name'])
      .where('c.client_ref', 'in', summary.planted.map((problem) => problem.clientId))
      .execute();
    const keyworkerOf = new Map(keyworkers.map((row) => [row.client_ref, row.display_name]));
    for (const finding of result.findings) {
      assert.equal(finding.keyworker, keyworkerOf.get(finding.clientId), `keyworker of ${finding.code} on ${finding.clientId}`);
      assert.match(finding.recordKey, /^(client|episode|intervention|review):[^:]+:[A-Z0-9]+$/);
      assert.match(finding.fingerprint, /^[0-9a-f]{64}$/);
    }
  });

  void it('rejects generation while errors remain', async () => {
    const result = await check();
    const warnings = result.findings.filter((finding) => finding.severity === 'warning').length;
    assert.equal(result.errors, 2);
    const unconfirmedByRule = result.findingsByRule.filter((entry) => entry.severity === 'warning').map((entry) => ({ code: entry.code, count: entry.count }));
    await assert.rejects(generate(), {
      name: 'SubmissionRejectedError',
      message: `The submission was not generated: 2 errors remain and ${warnings} warnings are not confirmed. Fix every error and confirm every warning, then generate it again.`,
      reason: 'findings',
      blocking: { errors: [{ code: 'A2', count: 1 }, { code: 'D6', count: 1 }], unconfirmedWarnings: unconfirmedByRule },
    });
    await assert.rejects(record(), {
      message: `The check was not recorded: 2 errors remain and ${warnings} warnings are not confirmed. Fix every error and confirm every warning, then record the check again.`,
      reason: 'findings',
    });
    assert.deepEqual(await listSubmissions(database.db, agency.id), []);
  });

  void it('rejects generation with unconfirmed warnings', async () => {
    // Puts the two planted errors right, as a keyworker would on the record.
    const missingDose = only(await warningsOf('A2'), 'A2 finding');
    assert.equal(missingDose.record?.entity, 'review');
    await database.db.updateTable('reviews').set({ methadone_dose: 40 }).where('review_ref', '=', missingDose.record?.id ?? '').execute();
    const leftOpen = only(await warningsOf('D6'), 'D6 finding');
    assert.equal(leftOpen.record?.entity, 'intervention');
    const intervention = await database.db
      .selectFrom('interventions as i')
      .innerJoin('episodes as e', 'e.id', 'i.episode_id')
      .select(['i.id', 'e.discharge_date'])
      .where('i.intervention_ref', '=', leftOpen.record?.id ?? '')
      .executeTakeFirstOrThrow();
    await database.db.updateTable('interventions').set({ end_date: intervention.discharge_date, exit_status: 'A' }).where('id', '=', intervention.id).execute();

    const result = await check();
    assert.equal(result.errors, 0);
    assert.deepEqual([...new Set(result.findings.map((finding) => finding.code))].sort(), ['A9', 'D9']);
    await assert.rejects(generate(), {
      message: `The submission was not generated: ${result.warnings} warnings are not confirmed. Fix every error and confirm every warning, then generate it again.`,
      reason: 'findings',
      blocking: { errors: [], unconfirmedWarnings: [{ code: 'A9', count: result.warnings - 1 }, { code: 'D9', count: 1 }] },
    });
    await assert.rejects(record(), { reason: 'findings' });
    assert.deepEqual(await listSubmissions(database.db, agency.id), []);
  });

  void it('confirms one warning and keeps it across checks', async () => {
    const childAge = only(await warningsOf('D9'), 'D9 warning');
    const audited = await auditActions('warning.confirm');
    assert.equal(await confirmWarnings(database.db, { agencyId: agency.id, actor, warnings: [childAge] }), 1);
    assert.equal(await auditActions('warning.confirm'), audited + 1);

    const reviewed = await withConfirmations(database.db, agency.id, (await check()).findings);
    const confirmed = reviewed.filter((finding) => finding.confirmation);
    assert.deepEqual(confirmed.map((finding) => [finding.code, finding.recordKey, finding.confirmation?.confirmedBy]), [['D9', childAge.recordKey, actor]]);
    assert.ok(confirmed[0]?.confirmation?.confirmedAt instanceof Date);
  });

  void it('drops a confirmation when the record changes', async () => {
    const childAge = only(await warningsOf('D9'), 'D9 warning');
    const client = await database.db.selectFrom('clients').select(['id', 'date_of_birth']).where('client_ref', '=', childAge.clientId).executeTakeFirstOrThrow();
    // One day later is still a child at triage, so the warning stays but the record's values changed.
    const nextDay = new Date(`${client.date_of_birth}T00:00:00Z`);
    nextDay.setUTCDate(nextDay.getUTCDate() + 1);
    await database.db.updateTable('clients').set({ date_of_birth: nextDay.toISOString().slice(0, 10) }).where('id', '=', client.id).execute();

    const changed = only(await warningsOf('D9'), 'D9 warning');
    assert.equal(changed.recordKey, childAge.recordKey);
    assert.notEqual(changed.fingerprint, childAge.fingerprint);
    const reviewed = await withConfirmations(database.db, agency.id, [changed]);
    assert.equal(reviewed[0]?.confirmation, undefined);
  });

  void it('confirms warnings in bulk', async () => {
    const findings = (await check()).findings;
    const warnings = findings.filter((finding) => finding.severity === 'warning');
    assert.ok(warnings.filter((finding) => finding.code === 'A9').length >= 1);
    const audited = await auditActions('warning.confirm');
    assert.equal(await confirmWarnings(database.db, { agencyId: agency.id, actor, warnings: findings }), warnings.length);
    assert.equal(await auditActions('warning.confirm'), audited + warnings.length);

    const reviewed = await withConfirmations(database.db, agency.id, (await check()).findings);
    assert.deepEqual(reviewed.filter((finding) => !finding.confirmation).map((finding) => finding.recordKey), []);
  });

  void it('rejects a future or incomplete month', async () => {
    const future = { message: '2024-05 is a future month. Only a complete month can be submitted; the latest is 2024-03.', reason: 'period' };
    const incomplete = (month: string) => ({ message: `${month} is the current month and is not complete until its last day has passed. Submit it from the first day of the next month.`, reason: 'period' });
    await assert.rejects(generate({ year: 2024, month: 5 }), future);
    await assert.rejects(generate({ year: 2024, month: 4 }), incomplete('2024-04'));
    await assert.rejects(generate(march2024, '2024-03-31' as PlainDate), incomplete('2024-03'));
    await assert.rejects(record({ year: 2024, month: 5 }), future);
    await assert.rejects(record(march2024, '2024-03-31' as PlainDate), incomplete('2024-03'));
    assert.deepEqual(await listSubmissions(database.db, agency.id), []);
  });

  void it('records a passing check', async () => {
    const result = await check();
    firstCheck = await record();
    const [stored] = await listSubmissions(database.db, agency.id);
    assert.ok(stored);
    assert.equal(stored.id, firstCheck);
    assert.equal(stored.status, 'checked');
    assert.equal(stored.fileName, 'DEMO1_202403_CDSQ.csv');
    assert.equal(stored.sha256, null);
    assert.equal(stored.rowCounts, null);
    assert.equal(stored.generatedAt, null);
    assert.equal(stored.checkedBy, actor);
    assert.ok(stored.checkedAt instanceof Date);
    assert.deepEqual(stored.checkCounts, { errors: 0, warnings: result.warnings, confirmedWarnings: result.warnings, clients: result.clients });
    assert.ok(result.clients > 0);
    assert.deepEqual(stored.findingsByRule, Object.fromEntries(result.findingsByRule.map((entry) => [entry.code, entry.count])));
    assert.equal(await readSubmissionFile(database.db, firstCheck), undefined);
    assert.equal(await auditActions('submission.check'), 1);
    await assert.rejects(markSubmissionSent(database.db, { submissionId: firstCheck, actor }), {
      message: 'This submission is checked but has no file yet. Generate the submission, send the file, then mark it as sent.',
      reason: 'state',
    });
  });

  void it('supersedes an unused check', async () => {
    secondCheck = await record();
    const list = await listSubmissions(database.db, agency.id);
    assert.deepEqual(list.map((item) => [item.id, item.status]), [[secondCheck, 'checked'], [firstCheck, 'superseded']]);
    assert.equal(list[1]?.supersededBy, actor);
    assert.equal(await auditActions('submission.supersede'), 1);
  });

  void it('generates into the recorded check', async () => {
    const [recorded] = await listSubmissions(database.db, agency.id);
    assert.ok(recorded);
    const id = await generate();
    const [stored, unused] = await listSubmissions(database.db, agency.id);
    assert.ok(stored);
    assert.equal(id, secondCheck);
    assert.equal(stored.id, secondCheck);
    assert.equal(stored.status, 'generated');
    assert.equal(stored.period, '2024-03');
    assert.equal(stored.fileName, 'DEMO1_202403_CDSQ.csv');
    assert.equal(stored.createdBy, actor);
    assert.equal(stored.checkedBy, actor);
    assert.deepEqual(stored.checkedAt, recorded.checkedAt);
    assert.deepEqual(stored.checkCounts, recorded.checkCounts);
    assert.equal(stored.generatedBy, actor);
    assert.ok(stored.generatedAt instanceof Date);
    assert.equal(stored.sentAt, null);
    assert.equal(unused?.id, firstCheck);
    assert.equal(unused?.status, 'superseded');

    const content = await readSubmissionFile(database.db, id);
    assert.ok(content);
    const sha256 = createHash('sha256').update(content.file).digest('hex');
    assert.equal(stored.sha256, sha256);
    const manifest = content.manifest as { sha256: string; bytes: number; errors: number; rowCounts: { total: number } };
    assert.equal(manifest.sha256, sha256);
    assert.equal(manifest.bytes, content.file.length);
    assert.equal(manifest.errors, 0);
    assert.deepEqual(stored.rowCounts, manifest.rowCounts);
    assert.equal(Buffer.from(content.file).toString('utf8').split('\r\n').length - 2, manifest.rowCounts.total);
    assert.equal(await auditActions('submission.generate'), 1);
  });

  void it('explains a line from the writer', async () => {
    const [stored] = await listSubmissions(database.db, agency.id);
    assert.ok(stored);
    const content = await readSubmissionFile(database.db, stored.id);
    assert.ok(content);
    const lines = Buffer.from(content.file).toString('utf8').split('\r\n');
    for (const line of [2, Math.floor(lines.length / 2), lines.length - 1]) {
      const row = await explainFileLine(database.db, agency, march2024, line);
      assert.ok(row, `line ${line} was not explained`);
      assert.equal(`"${row.cells.map((cell) => cell.value).join('","')}"`, lines[line - 1], `line ${line}`);
    }
    assert.equal(await explainFileLine(database.db, agency, march2024, 1), undefined);
    assert.equal(await explainFileLine(database.db, agency, march2024, lines.length), undefined);
  });

  void it('supersedes an earlier submission', async () => {
    const [first] = await listSubmissions(database.db, agency.id);
    assert.ok(first);
    const second = await generate();
    const list = await listSubmissions(database.db, agency.id);
    assert.deepEqual(list.map((item) => [item.id, item.status]), [[second, 'generated'], [first.id, 'superseded'], [firstCheck, 'superseded']]);
    assert.equal(list[1]?.supersededBy, actor);
    assert.ok(list[1]?.supersededAt instanceof Date);
    assert.equal(list[0]?.sha256, first.sha256);
    // Without a recorded check, the new row records this generation's check itself.
    assert.equal(list[0]?.checkedBy, actor);
    assert.equal(list[0]?.checkCounts.errors, 0);
    assert.deepEqual(await listSubmissions(database.db, agency.id, '2024-02'), []);
  });

  void it('marks only the current submission sent', async () => {
    const [current, superseded] = await listSubmissions(database.db, agency.id);
    assert.ok(current);
    assert.ok(superseded);
    await assert.rejects(
      markSubmissionSent(database.db, { submissionId: superseded.id, actor }),
      new SubmissionRejectedError('This submission was superseded by a later one and cannot be marked as sent. Send the current submission instead.', 'state'),
    );
    await markSubmissionSent(database.db, { submissionId: current.id, actor });
    const [sent] = await listSubmissions(database.db, agency.id);
    assert.equal(sent?.status, 'sent');
    assert.equal(sent?.sentBy, actor);
    assert.ok(sent?.sentAt instanceof Date);
    await assert.rejects(markSubmissionSent(database.db, { submissionId: current.id, actor }), new SubmissionRejectedError('This submission is already marked as sent.'));
    assert.equal(await auditActions('submission.send'), 1);
  });
});
