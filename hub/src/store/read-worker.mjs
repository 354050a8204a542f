// A heavy-read worker of the SQLite store (see read-pool.ts): its own read-only connection, so
// a long query runs on this thread while the main one goes on acknowledging batches.
// Plain JavaScript: it runs the same under tsx, vitest and node, with no loader to inherit.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map();

parentPort.on('message', ({ id, sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    const rows = Array.isArray(params) ? statement.all(...params) : statement.all(params);
    parentPort.postMessage({ id, rows });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
