import type { WindowStats } from '../../blocks/model.ts';
import type { Db } from '../store/db.ts';

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

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;

/**
 * Figures for leads received in the window. "Automatic" means the policy's first decision routed or
 * rejected the lead on its own; "review" means it held something for a human (both can be true when
 * only, say, the ack email waits for approval); "first touch" is the first human action on the lead in Slack (claim, approve, reject, edit);
 * "claim" is the first Take this lead / Reassign.
 */
export function windowStats(db: Db, label: string, sinceMs: number, now = Date.now()): WindowStats {
  const since = new Date(now - sinceMs).toISOString();
  const rows = db
    .prepare(`SELECT l.created_at,
        (SELECT d.final_action FROM decisions d WHERE d.lead_id = l.id AND d.version = 1) AS first_action,
        (SELECT json_extract(d.decision_json, '$.needs_review') FROM decisions d WHERE d.lead_id = l.id AND d.version = 1) AS first_review,
        (SELECT MIN(a.at) FROM audit_log a WHERE a.lead_id = l.id AND a.stage = 'review') AS first_touch,
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
