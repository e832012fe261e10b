import type { Policy } from '../policy/schema.ts';
import { slaClocks } from '../routing/myLeads.ts';
import type { DueStep } from '../sla/ladder.ts';
import type { Db } from '../store/db.ts';
import { AuditLog } from '../store/audit.ts';

export interface FeedFilter {
  status?: string | undefined;
  queue?: string | undefined;
  owner?: string | undefined;
  /** YYYY-MM-DD, inclusive, UTC. */
  from?: string | undefined;
  to?: string | undefined;
  /** Part of an email or company name. */
  q?: string | undefined;
  /** Leads created before this ISO instant (the next page). */
  before?: string | undefined;
}

export interface FeedRow {
  id: string;
  email: string;
  name: string | null;
  company: string | null;
  status: string;
  created_at: string;
  final_action: string | null;
  decision_status: string | null;
  route: string | null;
  owner: string | null;
  accepted_at: number | null;
  /** The SLA step the owner's clock runs toward; null once accepted, or without a ladder. */
  sla_next: DueStep | null;
}

const PAGE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface Raw extends Omit<FeedRow, 'sla_next'> {
  assignment_id: number | null; queue: string | null; pool: string | null; assigned_at: number | null; first_assigned_at: number | null;
}

/**
 * Newest leads first, with their latest decision, current owner and SLA clock. Every filter is a bound
 * parameter; an empty or malformed one is ignored rather than matching nothing.
 */
export function leadFeed(db: Db, policy: Policy, f: FeedFilter): { rows: FeedRow[]; more: boolean } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.status) { where.push('l.status = ?'); args.push(f.status); }
  if (f.queue) { where.push("(a.queue = ? OR json_extract(d.decision_json, '$.route') = ?)"); args.push(f.queue, f.queue); }
  if (f.owner) { where.push('COALESCE(c.user_id, a.user_id) = ?'); args.push(f.owner); }
  if (f.from && DAY.test(f.from)) { where.push('l.created_at >= ?'); args.push(`${f.from}T00:00:00.000Z`); }
  if (f.to && DAY.test(f.to)) { where.push('l.created_at <= ?'); args.push(`${f.to}T23:59:59.999Z`); }
  if (f.before && !Number.isNaN(Date.parse(f.before))) { where.push('l.created_at < ?'); args.push(f.before); }
  if (f.q?.trim()) {
    const like = `%${f.q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push("(l.email LIKE ? ESCAPE '\\' OR lower(json_extract(l.data_json, '$.company')) LIKE ? ESCAPE '\\')");
    args.push(like, like);
  }
  const rows = db.prepare(`SELECT l.id, l.email, json_extract(l.data_json, '$.name') AS name, json_extract(l.data_json, '$.company') AS company,
        l.status, l.created_at, d.final_action, d.status AS decision_status, json_extract(d.decision_json, '$.route') AS route,
        COALESCE(c.user_id, a.user_id) AS owner, a.accepted_at, a.id AS assignment_id, a.queue, a.pool, a.assigned_at,
        (SELECT MIN(f.assigned_at) FROM assignments f WHERE f.lead_id = l.id) AS first_assigned_at
      FROM leads l
      LEFT JOIN decisions d ON d.lead_id = l.id AND d.version = (SELECT MAX(version) FROM decisions WHERE lead_id = l.id)
      LEFT JOIN assignments a ON a.lead_id = l.id AND a.ended_at IS NULL
      LEFT JOIN lead_claims c ON c.lead_id = l.id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY l.created_at DESC, l.id DESC LIMIT ?`).all(...args, PAGE + 1) as Raw[];
  const clock = slaClocks(db, policy);
  const feed = rows.slice(0, PAGE).map(({ assignment_id, queue, pool, assigned_at, first_assigned_at, ...r }) => ({
    ...r,
    sla_next: assignment_id !== null && queue !== null && assigned_at !== null && r.accepted_at === null && r.status === 'routed'
      ? clock({ id: assignment_id, lead_id: r.id, queue, pool, assigned_at, accepted_at: null, first_assigned_at: first_assigned_at ?? assigned_at })
      : null,
  }));
  return { rows: feed, more: rows.length > PAGE };
}

/** The values the feed's filters offer: what the store holds, not what a URL says. */
export function feedChoices(db: Db): { statuses: string[]; queues: string[]; owners: string[] } {
  const col = (sql: string) => db.prepare(sql).pluck().all() as string[];
  return {
    statuses: col('SELECT DISTINCT status FROM leads ORDER BY status'),
    queues: col('SELECT DISTINCT queue FROM assignments ORDER BY queue'),
    owners: col('SELECT user_id FROM (SELECT user_id FROM assignments WHERE user_id IS NOT NULL UNION SELECT user_id FROM lead_claims) ORDER BY user_id'),
  };
}

export interface TrailRow { id: number; at: string; stage: string; event: string; actor: string; decision: string | null; reason: string | null; latency_ms: number | null; cost_usd: number | null; tokens_in: number | null; tokens_out: number | null }

/** The lead's whole audit trail, oldest first. */
export function auditTrail(db: Db, leadId: string): TrailRow[] {
  return new AuditLog(db).trail(leadId);
}
