import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations/index.ts';

export type Db = Database.Database;

const BUSY_TIMEOUT_MS = 5000;
const tick = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs an IMMEDIATE write that must not wait long for another process's write lock (a webhook's intake while the
 * pipeline process commits). SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 … ms between tries, so a
 * lock held for one millisecond can cost a webhook 20; this tries again every quarter of a millisecond instead,
 * for up to the same five seconds.
 */
export function withShortLockWaits<T>(db: Db, write: () => T): T {
  db.pragma('busy_timeout = 0');
  try {
    const deadline = performance.now() + BUSY_TIMEOUT_MS;
    for (;;) {
      try {
        return write();
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || performance.now() > deadline) throw err;
        Atomics.wait(tick, 0, 0, 0.25);
      }
    }
  } finally {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

/** Opens (creating if needed) the SQLite store in WAL mode and brings its schema up to date. */
export function openDb(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Deleted and overwritten content is zeroed on disk, so an erased person is not left in free pages.
  db.pragma('secure_delete = ON');
  migrate(db);
  return db;
}

/**
 * A connection SQLite itself will not let write (replays, exports, check-config): whatever a code path reading through
 * it attempts, nothing in the store changes. Open a writing connection (which migrates) first, so the file and its
 * WAL exist.
 */
export function openReadOnly(path: string): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

export function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.after?.(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}
