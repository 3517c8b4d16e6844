import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Gives each client a `change_stamp` that goes up whenever the client or any of its episodes,
 * interventions, reviews or review items change, however the change is made (web form,
 * import or a database console), and adds the `client-lists` counter, which goes up whenever
 * the membership or order of a list of clients may change. Pages that keep results in memory,
 * such as the caseload, compare stamps and counters to know what to load again.
 *
 * Statement-level triggers with transition tables touch each client once per statement, so
 * an import that inserts thousands of rows in one statement updates each client once, not
 * once per row. PostgreSQL allows a transition table on a trigger of one event only, hence
 * three triggers per table sharing one function. The stamp is an integer: one client would
 * need two billion changes to run out.
 */
export const clientChangeStamps: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('clients')
      .addColumn('change_stamp', 'integer', (column) => column.notNull().defaultTo(0))
      .execute();

    // A change to the client row itself: raise the stamp unless the statement set it already.
    await sql`
      create function clients_raise_change_stamp() returns trigger language plpgsql as $$
      begin
        if new.change_stamp = old.change_stamp then
          new.change_stamp := old.change_stamp + 1;
        end if;
        return new;
      end $$`.execute(db);
    await sql`
      create trigger clients_change_stamp before update on clients
      for each row execute function clients_raise_change_stamp()`.execute(db);

    // Which clients a list holds, and in what order, changes only when a client is added,
    // removed, renamed or moved, or when a team moves agency. One counter stands for all of it.
    await db.schema
      .createTable('change_counters')
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('value', 'integer', (column) => column.notNull().defaultTo(0))
      .execute();
    await sql`insert into change_counters (name, value) values ('client-lists', 0)`.execute(db);
    await sql`
      create function raise_client_lists_counter() returns trigger language plpgsql as $$
      begin
        update change_counters set value = value + 1 where name = 'client-lists';
        return null;
      end $$`.execute(db);
    await sql`
      create trigger clients_list_change after insert or delete or update of agency_id, team_id, client_ref on clients
      for each statement execute function raise_client_lists_counter()`.execute(db);
    await sql`
      create trigger teams_list_change after insert or delete or update of agency_id on teams
      for each statement execute function raise_client_lists_counter()`.execute(db);

    for (const table of childTables) {
      await sql.raw(`
        create function ${table.name}_raise_client_stamps() returns trigger language plpgsql as $$
        begin
          if tg_op in ('INSERT', 'UPDATE') then
            update clients set change_stamp = change_stamp + 1
            where id in (${table.clientIdsOf('changed_rows')});
          end if;
          if tg_op in ('UPDATE', 'DELETE') then
            update clients set change_stamp = change_stamp + 1
            where id in (${table.clientIdsOf('removed_rows')});
          end if;
          return null;
        end $$`).execute(db);
      await sql.raw(`
        create trigger ${table.name}_stamp_insert after insert on ${table.name}
        referencing new table as changed_rows
        for each statement execute function ${table.name}_raise_client_stamps()`).execute(db);
      await sql.raw(`
        create trigger ${table.name}_stamp_update after update on ${table.name}
        referencing new table as changed_rows old table as removed_rows
        for each statement execute function ${table.name}_raise_client_stamps()`).execute(db);
      await sql.raw(`
        create trigger ${table.name}_stamp_delete after delete on ${table.name}
        referencing old table as removed_rows
        for each statement execute function ${table.name}_raise_client_stamps()`).execute(db);
    }
  },
};

/**
 * The tables below a client, each with the query that finds the clients of a set of its rows.
 * A row deleted by a cascade from its client finds no client, which is right: the client has
 * gone too.
 */
const childTables: { name: string; clientIdsOf(rows: string): string }[] = [
  { name: 'episodes', clientIdsOf: (rows) => `select client_id from ${rows}` },
  { name: 'interventions', clientIdsOf: (rows) => `select e.client_id from ${rows} r join episodes e on e.id = r.episode_id` },
  { name: 'reviews', clientIdsOf: (rows) => `select e.client_id from ${rows} r join episodes e on e.id = r.episode_id` },
  {
    name: 'review_items',
    clientIdsOf: (rows) => `select e.client_id from ${rows} r join reviews v on v.id = r.review_id join episodes e on e.id = v.episode_id`,
  },
];
