import type pg from 'pg';

/** A query text is prepared once a connection has sent it this many times. */
const usesBeforePreparing = 3;
/** Maximum number of statements prepared on one connection. Later texts run unprepared. */
const maxPreparedStatements = 256;
/** Longer texts, such as multi-row inserts of an import, are never prepared. */
const maxPreparedTextLength = 4096;
/** Maximum number of texts counted but not yet prepared. Past it the counts start again, because most such texts run once. */
const maxCountedTexts = 10_000;

/**
 * Makes a pooled connection run the query texts it sends repeatedly as named prepared
 * statements, so PostgreSQL parses and plans each of them once per connection rather than on
 * every request. A review save spends a large part of the database's time planning its one
 * statement otherwise (see the HTTP section of docs/benchmarks.md). JDBC's `prepareThreshold`
 * and Npgsql's automatic preparation work the same way.
 *
 * Only `query(text, values)` calls are changed, the form Kysely's PostgreSQL driver uses.
 *
 * NOTE: PostgreSQL re-plans a prepared statement when a table it reads changes, but rejects
 * a `select *` whose columns changed with "cached plan must not change result type". Running
 * a migration that adds columns while older server processes are up makes those processes
 * fail such queries until they restart. Set `WAYMARK_PREPARED_STATEMENTS=0` to turn this off,
 * for example behind PgBouncer in transaction mode before version 1.21.
 */
export function prepareRepeatedQueries(client: pg.PoolClient): void {
  const uses = new Map<string, number>();
  const names = new Map<string, string>();
  const send = client.query.bind(client) as (config: string | pg.QueryConfig, values?: unknown[]) => Promise<pg.QueryResult>;

  const nameOf = (text: string): string | undefined => {
    const known = names.get(text);
    if (known !== undefined || text.length > maxPreparedTextLength || names.size >= maxPreparedStatements) return known;
    const count = (uses.get(text) ?? 0) + 1;
    if (count < usesBeforePreparing) {
      if (uses.size >= maxCountedTexts) uses.clear();
      uses.set(text, count);
      return undefined;
    }
    uses.delete(text);
    const name = `waymark_${names.size + 1}`;
    names.set(text, name);
    return name;
  };

  // pg has no setting for this, so the connection's own method is wrapped.
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    if (args.length === 2 && typeof text === 'string' && Array.isArray(values)) {
      const name = nameOf(text);
      if (name !== undefined) return send({ name, text, values });
    }
    return (send as (...rest: unknown[]) => unknown)(...args);
  }) as typeof client.query;
}
