import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { ensureAgency, type AgencyRecord } from './agencies-repository.js';
import { auditEventRow, changedFieldNames, recordAuditEvent, staffIdOfActor, withoutSecrets } from './audit.js';
import { saveClient } from './clients-repository.js';
import { sampleClient } from './testing/sample-clients.js';
import { describeEachDatabase, type TestDatabase } from './testing/test-databases.js';

/** Lists the grant statements that docs/security.md gives for the app's role. */
function appRoleGrants(role: string): string[] {
  return [
    `REVOKE ALL ON audit_events FROM ${role}`,
    `GRANT SELECT, INSERT ON audit_events TO ${role}`,
    `GRANT USAGE ON SEQUENCE audit_events_id_seq TO ${role}`,
  ];
}

describeEachDatabase('audit trail', (target) => {
  let database: TestDatabase;
  let agency: AgencyRecord;

  before(async () => {
    database = await target.create();
    agency = await ensureAgency(database.db, 'AUD01');
    await recordAuditEvent(database.db, { actor: 'staff:7', action: 'client.view', entity: 'client', entityId: 42, clientId: 42, after: { page: '/clients/:id' } });
  });
  after(async () => {
    await database.dispose();
  });

  void it('stores the actor staff id and client id', async () => {
    const rows = await database.db.selectFrom('audit_events').select(['actor', 'actor_staff_id', 'action', 'entity', 'entity_id', 'client_id', 'before', 'after', 'reason']).execute();
    assert.deepEqual(rows, [
      { actor: 'staff:7', actor_staff_id: 7, action: 'client.view', entity: 'client', entity_id: '42', client_id: 42, before: null, after: { page: '/clients/:id' }, reason: null },
    ]);
  });

  void it('rejects UPDATE of an event', async () => {
    await assert.rejects(sql`update audit_events set actor = 'staff:8'`.execute(database.db), /audit_events is append-only: UPDATE rejected/);
  });

  void it('rejects DELETE of an event', async () => {
    await assert.rejects(sql`delete from audit_events`.execute(database.db), /audit_events is append-only: DELETE rejected/);
  });

  void it('rejects TRUNCATE of the table', async () => {
    await assert.rejects(sql`truncate audit_events`.execute(database.db), /audit_events is append-only: TRUNCATE rejected/);
  });

  void it('keeps the event after rejected changes', async () => {
    const rows = await database.db.selectFrom('audit_events').select(['actor', 'action']).execute();
    assert.deepEqual(rows, [{ actor: 'staff:7', action: 'client.view' }]);
  });

  void it('rolls back a save whose audit event fails', async () => {
    // A trigger that fails every insert simulates any failure of the audit write.
    await sql`create function audit_events_fail_insert() returns trigger language plpgsql as $$ begin raise exception 'audit write failed in test'; end $$`.execute(database.db);
    await sql`create trigger audit_events_fail_insert before insert on audit_events for each row execute function audit_events_fail_insert()`.execute(database.db);
    try {
      await assert.rejects(
        database.db.transaction().execute((trx) => saveClient(trx, agency, sampleClient('0042'), { actor: 'system:cli' })),
        /audit write failed in test/,
      );
    } finally {
      await sql`drop trigger audit_events_fail_insert on audit_events`.execute(database.db);
    }
    const clients = await database.db.selectFrom('clients').select('id').execute();
    const episodes = await database.db.selectFrom('episodes').select('id').execute();
    assert.deepEqual(clients, []);
    assert.deepEqual(episodes, []);
  });

  void it('records a client addition with its client id', async () => {
    await database.db.transaction().execute((trx) => saveClient(trx, agency, sampleClient('0043'), { actor: 'system:cli' }));
    const client = await database.db.selectFrom('clients').select('id').where('client_ref', '=', '0043').executeTakeFirstOrThrow();
    const event = await database.db.selectFrom('audit_events').select(['actor', 'actor_staff_id', 'action', 'client_id']).where('action', '=', 'client.add').executeTakeFirstOrThrow();
    assert.deepEqual(event, { actor: 'system:cli', actor_staff_id: null, action: 'client.add', client_id: client.id });
  });

  if (target.name === 'PostgreSQL') {
    void it('denies the app role UPDATE, DELETE and TRUNCATE', async () => {
      const role = `audit_trail_app_${randomBytes(4).toString('hex')}`;
      const connection = new pg.Client({ connectionString: database.options.databaseUrl });
      await connection.connect();
      try {
        await connection.query(`CREATE ROLE ${role} NOLOGIN`);
        for (const statement of appRoleGrants(role)) await connection.query(statement);
        await connection.query('BEGIN');
        await connection.query(`SET LOCAL ROLE ${role}`);
        await connection.query(`INSERT INTO audit_events (actor, action, entity, entity_id) VALUES ('staff:9', 'client.view', 'client', '1')`);
        const inserted = await connection.query<{ count: string }>(`SELECT count(*) AS count FROM audit_events WHERE actor = 'staff:9'`);
        assert.equal(inserted.rows[0]?.count, '1');
        for (const statement of ['UPDATE audit_events SET reason = NULL', 'DELETE FROM audit_events', 'TRUNCATE audit_events']) {
          await connection.query('SAVEPOINT attempt');
          await assert.rejects(connection.query(statement), /permission denied for table audit_events/, statement);
          await connection.query('ROLLBACK TO SAVEPOINT attempt');
        }
        await connection.query('ROLLBACK');
      } finally {
        await connection.query('ROLLBACK').catch(() => undefined);
        await connection.query(`DROP OWNED BY ${role}`).catch(() => undefined);
        await connection.query(`DROP ROLE IF EXISTS ${role}`);
        await connection.end();
      }
    });
  }
});

void test('withoutSecrets drops password and token keys', () => {
  const row = { id: 3, email: 'a@example.invalid', password_hash: '$argon2id$x', totp_secret: 'ABC', nested: [{ password: 'p', roles: ['keyworker'] }], token: 't' };
  assert.deepEqual(withoutSecrets(row), { id: 3, email: 'a@example.invalid', nested: [{ roles: ['keyworker'] }] });
});

void test('auditEventRow never stores a password hash', () => {
  const row = auditEventRow({ actor: 'staff:1', action: 'staff.update', entity: 'staff', entityId: 2, before: { password_hash: 'old' }, after: { password_hash: 'new', credentials_reset: true } });
  assert.equal(row.before, '{}');
  assert.equal(row.after, '{"credentials_reset":true}');
});

void test('staffIdOfActor reads staff actors only', () => {
  assert.equal(staffIdOfActor('staff:12'), 12);
  assert.equal(staffIdOfActor('system:cli'), null);
  assert.equal(staffIdOfActor('staff:12x'), null);
  assert.equal(staffIdOfActor('import'), null);
});

void test('changedFieldNames lists differing keys only', () => {
  assert.deepEqual(changedFieldNames({ a: 1, b: 'x', c: [1] }, { a: 1, b: 'y', c: [1, 2], d: null }), ['b', 'c', 'd']);
  assert.deepEqual(changedFieldNames(null, { a: 1 }), ['a']);
  assert.deepEqual(changedFieldNames({ a: 1 }, { a: 1 }), []);
});
