import type { ClaimedItem, QueueItem, WaitingItem } from '../../blocks/model.ts';
import type { Db } from '../store/db.ts';

/** Reviews still waiting for a human, oldest first. */
export function pendingReviews(db: Db, limit = 50): QueueItem[] {
  return db
    .prepare(`SELECT d.id AS decision_id, d.lead_id, l.email, json_extract(l.data_json, '$.company') AS company, d.final_action, d.created_at AS waiting_since
      FROM decisions d JOIN leads l ON l.id = d.lead_id WHERE d.status = 'pending_review' ORDER BY d.created_at LIMIT ?`)
    .all(limit) as QueueItem[];
}

/** Leads stored but not yet read (what a pause leaves waiting), oldest first: they run in this order on resume. */
export function waitingLeads(db: Db, limit = 50): WaitingItem[] {
  return db
    .prepare(`SELECT l.id AS lead_id, l.email, json_extract(l.data_json, '$.company') AS company, l.created_at AS waiting_since
      FROM leads l WHERE l.status IN ('received', 'processing', 'parked') ORDER BY l.created_at LIMIT ?`)
    .all(limit) as WaitingItem[];
}

export function countPending(db: Db): number {
  return db.prepare("SELECT COUNT(*) FROM decisions WHERE status = 'pending_review'").pluck().get() as number;
}

export function claimedBy(db: Db, userId: string, limit = 50): ClaimedItem[] {
  return db
    .prepare(`SELECT c.lead_id, l.email, json_extract(l.data_json, '$.company') AS company, c.claimed_at
      FROM lead_claims c JOIN leads l ON l.id = c.lead_id WHERE c.user_id = ? ORDER BY c.claimed_at DESC LIMIT ?`)
    .all(userId, limit) as ClaimedItem[];
}
