import type { OwnerView } from '../../../blocks/model.ts';
import type { Db } from '../../store/db.ts';

interface Row { user_id: string | null; reason: string; assigned_at: number; accepted_at: number | null; ended_reason: string | null }

const iso = (ms: number) => new Date(ms).toISOString();

/** The lead's current owner and, when it moved, who held it before and why. */
export function loadOwnerView(db: Db, leadId: string): OwnerView | null {
  const rows = db.prepare('SELECT user_id, reason, assigned_at, accepted_at, ended_reason FROM assignments WHERE lead_id = ? ORDER BY id DESC LIMIT 2')
    .all(leadId) as Row[];
  const [now, before] = rows;
  if (!now) return null;
  return {
    user_id: now.user_id,
    reason: now.reason,
    assigned_at: iso(now.assigned_at),
    accepted_at: now.accepted_at === null ? null : iso(now.accepted_at),
    moved_from: before ? { user_id: before.user_id, why: before.ended_reason ?? 'moved' } : null,
  };
}
