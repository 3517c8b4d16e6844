import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeEachDatabase, type TestDatabase } from './testing/test-databases.js';
import { staffChangeChannel } from './migrations/0011-staff-change-notices.js';

describeEachDatabase('staff change notices', (target) => {
  let database: TestDatabase;
  let staffId: number;
  let notices = 0;
  let connected = false;
  let stop: () => Promise<void>;

  before(async () => {
    database = await target.create();
    const { db } = database;
    const organisation = await db.insertInto('organisations').values({ name: 'Notice organisation' }).returning('id').executeTakeFirstOrThrow();
    const staff = await db.insertInto('staff').values({ organisation_id: organisation.id, email: 'notice@example.invalid', display_name: 'Notice', roles: ['keyworker'] }).returning('id').executeTakeFirstOrThrow();
    staffId = staff.id;
    stop = await database.listen(staffChangeChannel, {
      notice: () => (notices += 1),
      connected: (isConnected) => (connected = isConnected),
    });
  });
  after(async () => {
    await stop();
    await database.dispose();
  });

  /** Waits until the count of notices reaches `expected`, or fails after two seconds. */
  const noticesReach = async (expected: number): Promise<void> => {
    for (let waited = 0; notices < expected && waited < 2000; waited += 10) await sleep(10);
    assert.equal(notices, expected);
  };

  const startSession = async (id: string): Promise<void> => {
    await database.db.insertInto('sessions').values({ id, staff_id: staffId, expires_at: new Date(Date.now() + 60_000) }).execute();
  };

  void it('listener is connected', () => {
    assert.equal(connected, true);
  });

  void it('staff change sends a notice', async () => {
    const before = notices;
    await database.db.updateTable('staff').set({ roles: ['keyworker', 'prescriber'] }).where('id', '=', staffId).execute();
    await noticesReach(before + 1);
  });

  void it('ended session sends a notice', async () => {
    await startSession('notice-session-1');
    const before = notices;
    await database.db.deleteFrom('sessions').where('id', '=', 'notice-session-1').execute();
    await noticesReach(before + 1);
  });

  void it('team change sends a notice', async () => {
    const before = notices;
    await database.db.deleteFrom('staff_teams').where('staff_id', '=', staffId).execute();
    await noticesReach(before + 1);
  });

  void it('new session and last seen send none', async () => {
    const before = notices;
    await startSession('notice-session-2');
    await database.db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id', '=', 'notice-session-2').execute();
    // A staff change afterwards sends the only notice, so any notice of the two statements above would arrive first.
    await database.db.updateTable('staff').set({ display_name: 'Notice again' }).where('id', '=', staffId).execute();
    await noticesReach(before + 1);
    await sleep(100);
    assert.equal(notices, before + 1);
  });

  void it('one transaction sends one notice', async () => {
    const before = notices;
    await database.db.transaction().execute(async (trx) => {
      await trx.updateTable('staff').set({ display_name: 'First' }).where('id', '=', staffId).execute();
      await trx.updateTable('staff').set({ display_name: 'Second' }).where('id', '=', staffId).execute();
    });
    await noticesReach(before + 1);
    await sleep(100);
    assert.equal(notices, before + 1);
  });
});
