import type { Db } from '../store/db.ts';
import type { LedgerEntry } from './assign.ts';

/** The credit mark every credit writes: the in-process ledger copy picks up credits by it. */
// `WHERE credit_seq IS NOT NULL` lets SQLite read the partial index's last entry instead of scanning the table.
export const NEXT_CREDIT_SEQ = '(SELECT COALESCE(MAX(credit_seq), 0) + 1 FROM assignments WHERE credit_seq IS NOT NULL)';

interface Copy { maxId: number; seq: number; since: number; entries: LedgerEntry[]; byId: Map<number, LedgerEntry> }

type Row = Omit<LedgerEntry, 'credited'> & { id: number; credited: number };

const COLUMNS = 'id, lead_id, user_id AS user, pool, assigned_at AS at, via, credited';
const copies = new WeakMap<Db, Copy>();

/**
 * The assignments of the last `spanMs`, kept in memory per database: reading 2,000 rows into objects costs
 * ~2 ms, more than assign() itself, and every routed lead needs them. Each call reads only rows added since
 * (by id) and rows credited since (by credit_seq), so another process writing the same file is seen too.
 * Call it before the transaction's own writes to assignments: a copy must only ever hold what is committed.
 */
export function recentEntries(db: Db, now: number, spanMs: number): readonly LedgerEntry[] {
  const since = now - spanMs;
  const maxId = (db.prepare('SELECT MAX(id) FROM assignments').pluck().get() as number | null) ?? 0;
  const seq = (db.prepare('SELECT MAX(credit_seq) FROM assignments WHERE credit_seq IS NOT NULL').pluck().get() as number | null) ?? 0;
  let copy = copies.get(db);
  // Rows gone (a restored file) or a copy more than a day older than its window: start again.
  if (!copy || maxId < copy.maxId || seq < copy.seq || since - copy.since > 86_400_000) {
    const rows = db.prepare(`SELECT ${COLUMNS} FROM assignments WHERE assigned_at >= ? AND user_id IS NOT NULL`).all(since) as Row[];
    copy = { maxId, seq, since, entries: [], byId: new Map() };
    for (const r of rows) add(copy, r);
    copies.set(db, copy);
    return copy.entries;
  }
  if (maxId > copy.maxId) {
    for (const r of db.prepare(`SELECT ${COLUMNS} FROM assignments WHERE id > ? AND user_id IS NOT NULL`).all(copy.maxId) as Row[]) add(copy, r);
    copy.maxId = maxId;
  }
  if (seq > copy.seq) {
    for (const id of db.prepare('SELECT id FROM assignments WHERE credit_seq > ?').pluck().all(copy.seq) as number[]) {
      const e = copy.byId.get(id);
      if (e) e.credited = true;
    }
    copy.seq = seq;
  }
  return copy.entries;
}

function add(copy: Copy, r: Row): void {
  const { id, ...rest } = r;
  const entry: LedgerEntry = { ...rest, credited: rest.credited === 1 };
  copy.entries.push(entry);
  copy.byId.set(id, entry);
}
