import type { Policy } from '../policy/schema.ts';
import type { Db } from '../store/db.ts';
import type { Absence, Assignment, AssignVia, RoutingState } from './assign.ts';
import { NEXT_CREDIT_SEQ, recentEntries } from './ledgerCache.ts';

/** Long enough for the widest fairness window (30 days) and any weekly cap. */
const LEDGER_SPAN_MS = 35 * 86_400_000;

export interface AssignmentRow {
  id: number;
  lead_id: string;
  decision_id: string | null;
  user_id: string | null;
  queue: string;
  pool: string | null;
  via: AssignVia;
  rotation: number;
  credited: number;
  reason: string;
  detail_json: string;
  assigned_at: number;
  accepted_at: number | null;
  accepted_how: string | null;
  ended_at: number | null;
  ended_reason: string | null;
}

// Each policy (a reload is a new object) stamps its pools' members once per database.
const stamped = new WeakMap<Db, WeakSet<Policy>>();

/** Pool members the ledger has not seen before are stamped now: that instant is what calibration holds them to. */
function stampNewMembers(db: Db, policy: Policy, now: number): void {
  const done = stamped.get(db) ?? new WeakSet<Policy>();
  stamped.set(db, done);
  if (done.has(policy)) return;
  const insert = db.prepare('INSERT OR IGNORE INTO pool_members_seen (pool, user_id, first_seen_at) VALUES (?, ?, ?)');
  for (const [pool, p] of Object.entries(policy.pools)) for (const m of p.members) insert.run(pool, m.user, now);
  done.add(policy);
}

/**
 * What round robin reads: recent assignments, absences and when each member joined. Call inside the
 * assigning transaction, before it writes to assignments.
 */
export function loadRoutingState(db: Db, policy: Policy, now: number): RoutingState {
  const entries = recentEntries(db, now, LEDGER_SPAN_MS);
  stampNewMembers(db, policy, now);
  const since = now - LEDGER_SPAN_MS;
  const absences = db.prepare('SELECT user_id AS user, from_at AS "from", until_at AS until FROM absences WHERE until_at IS NULL OR until_at >= ?')
    .all(since) as Absence[];
  const joined: Record<string, Record<string, number>> = {};
  for (const r of db.prepare('SELECT pool, user_id, first_seen_at FROM pool_members_seen').all() as Array<{ pool: string; user_id: string; first_seen_at: number }>) {
    (joined[r.pool] ??= {})[r.user_id] = r.first_seen_at;
  }
  return { entries, absences, joined };
}

export function currentAssignment(db: Db, leadId: string): AssignmentRow | null {
  return (db.prepare('SELECT * FROM assignments WHERE lead_id = ? AND ended_at IS NULL').get(leadId) as AssignmentRow | undefined) ?? null;
}

export function firstAssignment(db: Db, leadId: string): AssignmentRow | null {
  return (db.prepare('SELECT * FROM assignments WHERE lead_id = ? ORDER BY id LIMIT 1').get(leadId) as AssignmentRow | undefined) ?? null;
}

/** Everyone who has held this lead: a reassign never hands it back to one of them. */
export function earlierAssignees(db: Db, leadId: string): string[] {
  return db.prepare('SELECT DISTINCT user_id FROM assignments WHERE lead_id = ? AND user_id IS NOT NULL').pluck().all(leadId) as string[];
}

/**
 * Ends the lead's current assignment (credited back when `credit` says why) and records the new one.
 * Returns the new row's id. Call inside the caller's transaction.
 */
export function recordAssignment(
  db: Db,
  input: { leadId: string; decisionId: string | null; assignment: Assignment; now: number; endReason: string; credit?: string | null; accepted?: string | null },
): number {
  const { leadId, assignment: a, now } = input;
  db.prepare(`UPDATE assignments SET ended_at = ?, ended_reason = ?,
      credited = CASE WHEN ? IS NOT NULL AND rotation = 1 THEN 1 ELSE credited END, credit_reason = COALESCE(?, credit_reason),
      credit_seq = CASE WHEN ? IS NOT NULL AND rotation = 1 THEN ${NEXT_CREDIT_SEQ} ELSE credit_seq END
    WHERE lead_id = ? AND ended_at IS NULL`).run(now, input.endReason, input.credit ?? null, input.credit ?? null, input.credit ?? null, leadId);
  const detail = { rule: a.rule, candidates: a.candidates, alert: a.alert };
  const info = db.prepare(`INSERT INTO assignments (lead_id, decision_id, user_id, queue, pool, via, rotation, reason, detail_json, assigned_at, accepted_at, accepted_how)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(leadId, input.decisionId, a.user, a.queue, a.pool, a.via, a.rotation ? 1 : 0, a.reason, JSON.stringify(detail), now, input.accepted ? now : null, input.accepted ?? null);
  return Number(info.lastInsertRowid);
}

/** A lead later rejected as spam gives its round-robin slot back. */
export function creditBackLead(db: Db, leadId: string, reason: string): number {
  return db.prepare(`UPDATE assignments SET credited = 1, credit_reason = ?, credit_seq = ${NEXT_CREDIT_SEQ} WHERE lead_id = ? AND rotation = 1 AND credited = 0`)
    .run(reason, leadId).changes;
}

/** The assignee's first touch stops the SLA clock; only the first one counts. */
export function markAccepted(db: Db, leadId: string, userId: string, how: string, now: number): boolean {
  return db.prepare('UPDATE assignments SET accepted_at = ?, accepted_how = ? WHERE lead_id = ? AND ended_at IS NULL AND user_id = ? AND accepted_at IS NULL')
    .run(now, how, leadId, userId).changes > 0;
}
