/**
 * For tests only: raw SQL on a store, to check what is physically kept (no secret in any
 * table, the rows a batch made). Production code reads and writes through the repositories.
 */
import type { HubStore } from './store.ts';
import type { SqlClient } from './sql.ts';

export function rawSql(store: HubStore): SqlClient {
  return (store as unknown as { sql: SqlClient }).sql;
}
