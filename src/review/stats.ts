import type { DigestFigures, WindowStats } from '../../blocks/model.ts';
import type { Db } from '../store/db.ts';
import { countPending, pendingReviews } from './queue.ts';

interface LeadTimes {
  created_at: string;
  first_action: string | null;
  first_review: number | null;
  first_touch: string | null;
  claimed: string | null;
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const AUTOMATIC = new Set(['auto_route_sales', 'auto_route_support', 'auto_reject_spam']);

/**
 * When a person first acted on lead `l` in Slack (claim, approve, reject, edit, reprocess): a sub-select
 * for queries over `leads l`. System rows of the review stage (SLA reminders, nudges) are no touch.
 */
export const FIRST_TOUCH_SQL = "SELECT MIN(a.at) FROM audit_log a WHERE a.lead_id = l.id AND a.stage = 'review' AND a.actor != 'system'";

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;

/**
 * Figures for leads received in the window. "Automatic" means the policy's first decision routed or
 * rejected the lead on its own; "review" means it held something for a human (both can be true when
 * only, say, the ack email waits for approval); "first touch" is FIRST_TOUCH_SQL;
 * "claim" is the first Take this lead / Reassign.
 */
export function windowStats(db: Db, label: string, sinceMs: number, now = Date.now()): WindowStats {
  const since = new Date(now - sinceMs).toISOString();
  const rows = db
    .prepare(`SELECT l.created_at,
        (SELECT d.final_action FROM decisions d WHERE d.lead_id = l.id AND d.version = 1) AS first_action,
        (SELECT json_extract(d.decision_json, '$.needs_review') FROM decisions d WHERE d.lead_id = l.id AND d.version = 1) AS first_review,
        (${FIRST_TOUCH_SQL}) AS first_touch,
        (SELECT c.first_claimed_at FROM lead_claims c WHERE c.lead_id = l.id) AS claimed
      FROM leads l WHERE l.created_at >= ?`)
    .all(since) as LeadTimes[];
  const decided = rows.filter((r) => r.first_action !== null);
  const automatic = decided.filter((r) => AUTOMATIC.has(r.first_action!)).length;
  const reviewed = decided.filter((r) => r.first_review === 1).length;
  return {
    label,
    volume: rows.length,
    automatic_rate: decided.length ? automatic / decided.length : null,
    review_rate: decided.length ? reviewed / decided.length : null,
    median_first_touch_minutes: median(rows.filter((r) => r.first_touch).map((r) => minutesBetween(r.created_at, r.first_touch!))),
    median_claim_minutes: median(rows.filter((r) => r.claimed).map((r) => minutesBetween(r.created_at, r.claimed!))),
  };
}

const HOUR = 3_600_000;

export function triageStats(db: Db, now = Date.now()): WindowStats[] {
  return [windowStats(db, 'Last 24 h', 24 * HOUR, now), windowStats(db, 'Last 7 days', 7 * 24 * HOUR, now)];
}

/** "Today" for the App Home: since midnight UTC. */
export function todayStats(db: Db, now = Date.now()): WindowStats {
  const midnight = new Date(now);
  midnight.setUTCHours(0, 0, 0, 0);
  return windowStats(db, 'Today (UTC)', now - midnight.getTime(), now);
}

/**
 * The daily digest's figures: the last 24 h window, plus the review queue and everything stuck
 * (dead-lettered effects, dead jobs) whatever its age, and the classifier spend of the window.
 */
export function digestFigures(db: Db, paused: boolean, now = Date.now()): DigestFigures {
  const end = new Date(now).toISOString();
  const start = new Date(now - 24 * HOUR).toISOString();
  const oldest = pendingReviews(db, 1)[0];
  const count = (sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as number;
  return {
    ...windowStats(db, 'Last 24 h', 24 * HOUR, now),
    window_start: start,
    window_end: end,
    pending_reviews: countPending(db),
    oldest_pending_minutes: oldest ? Math.max(0, minutesBetween(oldest.waiting_since, end)) : null,
    dead_effects: count("SELECT COUNT(*) FROM outbox WHERE status = 'dead'"),
    dead_jobs: count("SELECT COUNT(*) FROM jobs WHERE status = 'dead'"),
    classifier_cost_usd: count("SELECT COALESCE(SUM(cost_usd), 0) FROM audit_log WHERE stage = 'classify' AND at >= ?", start),
    paused,
  };
}
