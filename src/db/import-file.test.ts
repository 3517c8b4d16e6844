import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { importMonth, temporaryFolder } from './testing/export-helpers.js';
import { writeGeneratedFile } from './testing/generated-file.js';
import { describeEachDatabase, type TestDatabase } from './testing/test-databases.js';

const period = { year: 2024, month: 3 };
const clientCount = 40;

describeEachDatabase('importFile', (target) => {
  let database: TestDatabase;
  let folder: { path: string; remove(): Promise<void> };
  let filePath: string;
  let badClientId = '';

  before(async () => {
    folder = await temporaryFolder();
    filePath = join(folder.path, 'with-error.csv');
    // An unknown SEX code (rule D2) on one consenting client.
    await writeGeneratedFile(filePath, {
      clients: clientCount,
      period: '2024-03',
      change: (client) => {
        if (badClientId === '' && client.episodes.length > 0) {
          client.sex = 'X';
          badClientId = client.clientId;
        }
      },
    });
    database = await target.create();
  });
  after(async () => {
    await database.dispose();
    await folder.remove();
  });

  void it('imports nothing from a file with errors', async () => {
    const result = await importMonth(database.db, filePath, period);
    assert.equal(result.imported, false);
    assert.ok(result.validation.errors >= 1);
    assert.ok(result.validation.findings.some((finding) => finding.code === 'D2' && finding.field === 'SEX' && finding.value === 'X' && finding.clientId === badClientId));

    const clients = await database.db.selectFrom('clients').select('id').execute();
    assert.equal(clients.length, 0);
    const agencies = await database.db.selectFrom('agencies').select('id').execute();
    assert.equal(agencies.length, 0);
  });

  void it('imports valid clients when accepted', async () => {
    const result = await importMonth(database.db, filePath, period, true);
    assert.equal(result.imported, true);
    assert.deepEqual(result.agency, { code: 'TST01', created: true });
    assert.equal(result.skipped.length, 1);
    assert.equal(result.skipped[0]?.clientId, badClientId);
    assert.ok((result.skipped[0]?.errors ?? 0) >= 1);
    assert.deepEqual(result.counts, { added: clientCount - 1, updated: 0, unchanged: 0 });

    const stored = await database.db.selectFrom('clients').select('client_ref').where('client_ref', '=', badClientId).execute();
    assert.deepEqual(stored, []);
  });
});

describeEachDatabase('importFile identifier reused by another client', (target) => {
  let database: TestDatabase;
  let folder: { path: string; remove(): Promise<void> };
  let filePath: string;
  let ownerId = '';
  let reuserId = '';
  let episodeId = '';

  before(async () => {
    folder = await temporaryFolder();
    filePath = join(folder.path, 'reused-episode.csv');
    // The second client with an episode takes the first one's EPISODID (rule D7).
    await writeGeneratedFile(filePath, {
      clients: clientCount,
      period: '2024-03',
      change: (client) => {
        const episode = client.episodes[0];
        if (episode === undefined || reuserId !== '') return;
        if (ownerId === '') {
          ownerId = client.clientId;
          episodeId = episode.episodeId;
          return;
        }
        episode.episodeId = episodeId;
        reuserId = client.clientId;
      },
    });
    database = await target.create();
  });
  after(async () => {
    await database.dispose();
    await folder.remove();
  });

  void it('imports nothing', async () => {
    const result = await importMonth(database.db, filePath, period);

    assert.equal(result.imported, false);
    assert.deepEqual(
      result.validation.findings.filter((finding) => finding.code === 'D7').map((finding) => [finding.clientId, finding.field, finding.value]),
      [[reuserId, 'EPISODID', episodeId]],
    );
    const clients = await database.db.selectFrom('clients').select('id').execute();
    assert.equal(clients.length, 0);
  });

  void it('skips the reusing client when accepted', async () => {
    const result = await importMonth(database.db, filePath, period, true);

    assert.equal(result.imported, true);
    assert.deepEqual(
      result.skipped.map((skipped) => skipped.clientId),
      [reuserId],
    );
    assert.deepEqual(result.counts, { added: clientCount - 1, updated: 0, unchanged: 0 });
    const owners = await database.db
      .selectFrom('episodes')
      .innerJoin('clients', 'clients.id', 'episodes.client_id')
      .select('clients.client_ref')
      .where('episodes.episode_ref', '=', episodeId)
      .execute();
    assert.deepEqual(owners, [{ client_ref: ownerId }]);
  });
});
