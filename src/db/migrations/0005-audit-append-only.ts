import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Makes the audit trail searchable and append-only.
 *
 * `actor_staff_id` and `client_id` copy the staff member out of `actor` and the client the
 * event is about, so "who did what" and "who saw this client" are index lookups. Existing
 * rows are filled in before the triggers below forbid any further change.
 *
 * The triggers raise on UPDATE, DELETE and TRUNCATE of `audit_events`, whoever runs them.
 * In production the app's role also lacks those privileges (see docs/security.md); the
 * triggers are the second lock, and the only one on PGlite, which has a single role.
 */
export const auditAppendOnly: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table audit_events add column if not exists actor_staff_id integer`.execute(db);
    await sql`alter table audit_events add column if not exists client_id integer`.execute(db);
    await sql`
      update audit_events
      set actor_staff_id = substring(actor from '^staff:([0-9]{1,9})$')::integer
      where actor_staff_id is null and actor ~ '^staff:[0-9]{1,9}$'
    `.execute(db);
    await sql`
      update audit_events
      set client_id = entity_id::integer
      where client_id is null and entity = 'client' and entity_id ~ '^[0-9]{1,9}$'
    `.execute(db);

    await sql`create index if not exists audit_events_client_idx on audit_events (client_id, id)`.execute(db);
    await sql`create index if not exists audit_events_actor_staff_idx on audit_events (actor_staff_id, id)`.execute(db);
    await sql`create index if not exists audit_events_action_idx on audit_events (action, id)`.execute(db);
    await sql`create index if not exists audit_events_occurred_at_idx on audit_events (occurred_at)`.execute(db);

    await sql`
      create or replace function audit_events_reject_change() returns trigger
      language plpgsql as $$
      begin
        raise exception 'audit_events is append-only: % rejected', tg_op
          using errcode = 'insufficient_privilege',
                hint = 'Audit events can be added but never changed or removed.';
      end
      $$
    `.execute(db);
    await sql`drop trigger if exists audit_events_no_update_or_delete on audit_events`.execute(db);
    await sql`
      create trigger audit_events_no_update_or_delete
      before update or delete on audit_events
      for each row execute function audit_events_reject_change()
    `.execute(db);
    await sql`drop trigger if exists audit_events_no_truncate on audit_events`.execute(db);
    await sql`
      create trigger audit_events_no_truncate
      before truncate on audit_events
      for each statement execute function audit_events_reject_change()
    `.execute(db);
  },
  // No `down`: migrations never drop data, and the triggers protect data.
};
