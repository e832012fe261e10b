import type { Policy } from '../policy/schema.ts';
import { ladderFor, upcomingStep, type DueStep, type LadderInput } from '../sla/ladder.ts';
import type { Db } from '../store/db.ts';

export interface MyLead {
  lead_id: string;
  email: string;
  company: string | null;
  queue: string;
  pool: string | null;
  assigned_at: number;
  accepted_at: number | null;
  /** The ladder step the SLA clock runs toward; null once accepted or when every step has fired. */
  next: DueStep | null;
}

interface Row extends ClockedAssignment { email: string; company: string | null }

const MINE_SQL = `SELECT a.id, a.lead_id, l.email, json_extract(l.data_json, '$.company') AS company, a.queue, a.pool, a.assigned_at, a.accepted_at,
    (SELECT MIN(f.assigned_at) FROM assignments f WHERE f.lead_id = a.lead_id) AS first_assigned_at
  FROM assignments a JOIN leads l ON l.id = a.lead_id
  WHERE a.user_id = ? AND a.ended_at IS NULL AND l.status = 'routed'
  ORDER BY a.assigned_at DESC, a.id DESC LIMIT ?`;

/** A current assignment as the SLA clock reads it. */
export interface ClockedAssignment { id: number; lead_id: string; queue: string; pool: string | null; assigned_at: number; accepted_at: number | null; first_assigned_at: number }

/** Each assignment's SLA clock, read exactly as the sweep reads it: the step it runs toward, or null. */
export function slaClocks(db: Db, policy: Policy): (a: ClockedAssignment) => DueStep | null {
  const firedOf = db.prepare('SELECT assignment_id, step, kind FROM sla_steps WHERE lead_id = ?');
  return (a) => {
    const ladder = ladderFor(policy, a.queue, a.pool);
    return ladder ? upcomingStep({ ...ladder, assignment: a, firstAssignedAt: a.first_assigned_at, fired: firedOf.all(a.lead_id) as LadderInput['fired'] }) : null;
  };
}

/** The user's current leads, newest first, each with its SLA clock. */
export function myLeads(db: Db, policy: Policy, user: string, limit = 10): MyLead[] {
  const rows = db.prepare(MINE_SQL).all(user, limit) as Row[];
  const clock = slaClocks(db, policy);
  return rows.map((r) => ({ lead_id: r.lead_id, email: r.email, company: r.company, queue: r.queue, pool: r.pool, assigned_at: r.assigned_at, accepted_at: r.accepted_at, next: clock(r) }));
}
