import { formatDuration } from '../core/duration.ts';
import { enqueueEffect } from '../outbox/enqueue.ts';
import { isKillSwitchOn } from '../pipeline/kill-switch.ts';
import type { Policy, QueueName } from '../policy/schema.ts';
import { assign } from '../routing/assign.ts';
import { auditAssignment, enqueueAssignmentEffects, routingFacts } from '../routing/commitAssignment.ts';
import { loadRoutingState, recordAssignment, type AssignmentRow } from '../routing/ledger.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { getDecision } from '../store/decisions.ts';
import { LeadStore } from '../store/leads.ts';
import { FIRST_TOUCH_SQL } from '../review/stats.ts';
import { ladderFor, nextStep, type DueStep, type LadderInput } from './ladder.ts';

/** Assignments older than this are left alone: enabling a ladder, or a long outage, must not flood old leads. */
export const LADDER_LOOKBACK_MS = 7 * 86_400_000;
/** Steps fired per lead per sweep; the next sweep fires any still due. */
const MAX_STEPS_PER_LEAD = 4;

interface Waiting extends AssignmentRow { correlation_id: string; latest_decision_id: string; first_assigned_at: number }

// A lead waits while it is routed, its current assignment is not accepted and, if nobody holds it, nobody has touched it.
// `narrow` is one of two constant conditions below, never caller text.
const waitingSql = (narrow: string) => `SELECT a.*, l.correlation_id,
    (SELECT d.id FROM decisions d WHERE d.lead_id = l.id ORDER BY d.version DESC LIMIT 1) AS latest_decision_id,
    (SELECT MIN(f.assigned_at) FROM assignments f WHERE f.lead_id = l.id) AS first_assigned_at
  FROM assignments a JOIN leads l ON l.id = a.lead_id
  WHERE a.ended_at IS NULL AND a.accepted_at IS NULL AND l.status = 'routed' AND a.assigned_at >= ?
    AND (a.user_id IS NOT NULL OR (NOT EXISTS (SELECT 1 FROM lead_claims k WHERE k.lead_id = l.id) AND (${FIRST_TOUCH_SQL}) IS NULL))
    AND ${narrow}`;

/**
 * The thin scheduled edge of the SLA ladder: for each waiting lead, the pure nextStep says what is due; the
 * sla_steps primary key makes each step fire once however often (or on however many processes) this runs.
 * Nothing fires while the kill switch is on. Returns the steps fired.
 */
export function runSlaLadder(db: Db, audit: AuditLog, policy: Policy, now: number): number {
  if (isKillSwitchOn(db, policy)) return 0;
  const waiting = db.prepare(`${waitingSql('1 = 1')} ORDER BY a.assigned_at`).all(now - LADDER_LOOKBACK_MS) as Waiting[];
  let fired = 0;
  for (const row of waiting) {
    // Most waiting leads have nothing due: only those that do take the write lock.
    if (!dueStep(db, policy, row, now)) continue;
    for (let i = 0; i < MAX_STEPS_PER_LEAD; i++) {
      const moved = db.transaction(() => fireNext(db, audit, policy, row.lead_id, now)).immediate();
      if (moved === null) break;
      fired++;
      if (moved === 'reassigned') break;
    }
  }
  return fired;
}

function fireNext(db: Db, audit: AuditLog, policy: Policy, leadId: string, now: number): 'fired' | 'reassigned' | null {
  // Re-read inside the transaction: a click may have accepted or moved the lead since the sweep's query.
  const row = db.prepare(waitingSql('a.lead_id = ?')).get(now - LADDER_LOOKBACK_MS, leadId) as Waiting | undefined;
  const step = row ? dueStep(db, policy, row, now) : null;
  if (!row || !step) return null;
  db.prepare('INSERT INTO sla_steps (assignment_id, step, lead_id, kind, due_at, fired_at) VALUES (?, ?, ?, ?, ?, ?)').run(row.id, step.step, leadId, step.do, step.due_at, now);
  const base = { lead_id: leadId, decision_id: row.latest_decision_id, correlation_id: row.correlation_id };
  const waited = formatDuration(step.after);
  audit.record({
    ...base, stage: 'sla', event: `sla_${step.do}`, decision: step.do,
    reason: `${row.user_id ? `${row.user_id} has not accepted` : 'nobody has touched the lead'} within ${waited} (step ${step.step + 1} of the ${row.queue} ladder, due ${new Date(step.due_at).toISOString()})`,
    output: { assignment_id: row.id, step: step.step, due_at: step.due_at, fired_at: now, late_ms: now - step.due_at },
  });
  if (step.do === 'reassign') return reassignOverdue(db, audit, policy, row, base, waited, now);
  const kind = step.do === 'remind' ? 'slack_sla_remind' : 'slack_sla_escalate';
  enqueueEffect(db, { ...base, kind, dedupe_key: `${leadId}:${kind}:a${row.id}:s${step.step}`, payload: { assignment_id: row.id, step: step.step, waited } });
  return 'fired';
}

function dueStep(db: Db, policy: Policy, row: Waiting, now: number): DueStep | null {
  const ladder = ladderFor(policy, row.queue, row.pool);
  if (!ladder) return null;
  const fired = db.prepare('SELECT assignment_id, step, kind FROM sla_steps WHERE lead_id = ?').all(row.lead_id) as LadderInput['fired'];
  return nextStep({ ...ladder, assignment: row, firstAssignedAt: row.first_assigned_at, fired }, now);
}

function reassignOverdue(db: Db, audit: AuditLog, policy: Policy, row: Waiting, base: { lead_id: string; decision_id: string; correlation_id: string }, waited: string, now: number): 'reassigned' | 'fired' {
  const lead = new LeadStore(db).get(row.lead_id);
  const stored = getDecision(db, row.latest_decision_id);
  if (!lead || !stored) return 'fired';
  const enrichment = stored.enrichment;
  const intent = stored.classification?.classification?.intent ?? null;
  const facts = routingFacts(db, row.lead_id, row.queue as QueueName, enrichment, intent, null);
  const a = assign(lead.lead, enrichment, facts, policy, loadRoutingState(db, policy, now), now);
  if (!a.user && row.user_id === null) {
    audit.record({ ...base, stage: 'sla', event: 'sla_reassign_nobody', reason: `still nobody eligible: ${a.reason}` });
    return 'fired';
  }
  const why = row.user_id ? `not accepted within ${waited}` : `unassigned for ${waited}`;
  const id = recordAssignment(db, { leadId: row.lead_id, decisionId: row.latest_decision_id, assignment: a, now, endReason: why, credit: row.user_id ? why : null });
  auditAssignment(audit, base, a, id, 'system');
  enqueueAssignmentEffects(db, base, id, a);
  enqueueEffect(db, { ...base, kind: 'slack_update_card', dedupe_key: `${row.lead_id}:slack_update_card:sla_reassign:a${id}`, payload: { reason: 'sla_reassign' } });
  return 'reassigned';
}
