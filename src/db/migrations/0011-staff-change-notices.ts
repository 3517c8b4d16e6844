import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Channel on which the database announces changes to staff, their teams and their sessions. */
export const staffChangeChannel = 'waymark_staff_changes';

/**
 * Sends a notice on `staffChangeChannel` when a transaction changes a staff member, their
 * teams or ends a session, however the change is made. Web processes that keep signed-in
 * sessions in memory drop them when the notice comes. PostgreSQL delivers a notice when its
 * transaction commits and folds repeats within one transaction into one. A new session needs
 * no notice, since no process can have kept it, and neither does `last_seen_at`, which
 * requests write while they are signed in.
 */
export const staffChangeNotices: Migration = {
  async up(db: Kysely<unknown>) {
    await sql.raw(`
      create function notify_staff_change() returns trigger language plpgsql as $$
      begin
        perform pg_notify('${staffChangeChannel}', '');
        return null;
      end $$`).execute(db);
    await sql`
      create trigger staff_change_notice after update or delete on staff
      for each statement execute function notify_staff_change()`.execute(db);
    await sql`
      create trigger staff_teams_change_notice after insert or update or delete on staff_teams
      for each statement execute function notify_staff_change()`.execute(db);
    await sql`
      create trigger sessions_end_notice after delete or update of id, staff_id, expires_at on sessions
      for each statement execute function notify_staff_change()`.execute(db);
  },
};
