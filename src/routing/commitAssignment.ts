import type { Decision, HumanInput } from '../core/decision.ts';
import type { Enrichment } from '../core/enrichment.ts';
import type { CanonicalLead } from '../core/lead.ts';
import { enqueueEffect } from '../outbox/enqueue.ts';
import type { Policy } from '../policy/schema.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { assign, type Assignment, type AssignFacts } from './assign.ts';
import { creditBackLead, currentAssignment, earlierAssignees, loadRoutingState, recordAssignment } from './ledger.ts';

export interface RoutingInput {
  policy: Policy;
  lead: CanonicalLead;
  now: number;
}

interface Committed {
  lead_id: string;
  decision_id: string;
  correlation_id: string;
  decision: Decision;
  enrichment: Enrichment | null;
  human: HumanInput | null;
  intent: string | null;
  status: string;
}

/** The assignment's side effects: the CRM owner and a direct message to the new owner, or an alert to the pool's manager. */
export function enqueueAssignmentEffects(db: Db, c: { lead_id: string; decision_id: string; correlation_id: string }, assignmentId: number, a: Assignment): void {
  const base = { lead_id: c.lead_id, decision_id: c.decision_id, correlation_id: c.correlation_id };
  if (a.user) {
    enqueueEffect(db, { ...base, kind: 'crm_assign_owner', dedupe_key: `${c.lead_id}:crm_assign_owner:a${assignmentId}`, payload: { slack_user_id: a.user, assignment_id: assignmentId } });
    enqueueEffect(db, { ...base, kind: 'slack_assignee_dm', dedupe_key: `${c.lead_id}:slack_assignee_dm:a${assignmentId}`, payload: { assignment_id: assignmentId } });
  } else if (a.alert) {
    enqueueEffect(db, { ...base, kind: 'slack_routing_alert', dedupe_key: `${c.lead_id}:slack_routing_alert:a${assignmentId}`, payload: { assignment_id: assignmentId } });
  }
}

/** "why did it go there?" in the trail itself: the reason, then every member considered and why they could or could not take it. */
export function auditAssignment(audit: AuditLog, c: { lead_id: string; correlation_id: string }, a: Assignment, assignmentId: number, actor: string): void {
  const considered = a.candidates.map((m) => `${m.user} ${m.eligible ? `eligible (${m.assigned} assigned, target ${m.target})` : m.why}`);
  audit.record({
    lead_id: c.lead_id, correlation_id: c.correlation_id, stage: 'route', event: a.user ? 'assigned' : 'assigned_fallback', actor,
    decision: a.via, reason: considered.length ? `${a.reason} — considered: ${considered.join('; ')}` : a.reason,
    output: { assignment_id: assignmentId, user: a.user, queue: a.queue, pool: a.pool, via: a.via, rule: a.rule, alert: a.alert, candidates: a.candidates },
  });
}

/** What assign() needs beyond the lead and policy: the CRM's owners, a person's choice, and who held the lead before. */
export function routingFacts(db: Db, leadId: string, queue: AssignFacts['queue'], enrichment: Enrichment | null, intent: string | null, chosen: string | null): AssignFacts {
  const history = enrichment?.crm_history ?? null;
  return {
    queue,
    intent,
    human: chosen ? { user: chosen, kind: 'edit' } : null,
    crmOwners: { contact: history?.contact_owner_id ?? null, company: history?.company_owner_id ?? null, domain: enrichment?.company?.domain ?? enrichment?.domain.registrable_domain ?? null },
    exclude: chosen ? [] : earlierAssignees(db, leadId),
  };
}

/** Without assign_owner (not allowed, forbidden) the lead still gets a row: its SLA clock starts here and the card says why nobody owns it. */
function unassigned(queue: AssignFacts['queue'], why: string): Assignment {
  return { user: null, queue, pool: null, via: 'fallback', rule: null, rotation: false, reason: why, candidates: [], alert: null };
}

/**
 * Runs inside commitDecision's transaction: a routed lead gets its owner (assign() over the ledger read
 * in this same transaction, so two leads cannot both take one person's last slot under a cap), a rejected
 * one gives its round-robin slot back. A lead that keeps its queue keeps its owner unless a person chose one.
 */
export function commitAssignment(db: Db, audit: AuditLog, c: Committed, input: RoutingInput): void {
  if (c.status === 'rejected') {
    if (creditBackLead(db, c.lead_id, 'lead rejected') > 0) {
      audit.record({ lead_id: c.lead_id, correlation_id: c.correlation_id, stage: 'route', event: 'assignment_credited', reason: 'lead rejected: its round-robin slot is given back' });
    }
    return;
  }
  const queue = c.decision.route;
  if (c.status !== 'routed' || !queue) return;
  const current = currentAssignment(db, c.lead_id);
  const chosen = c.human?.kind === 'edit' ? (c.human.override?.owner ?? null) : null;
  if (current && current.queue === queue && (!chosen || chosen === current.user_id)) return;

  const assigned = c.decision.actions.includes('assign_owner')
    ? assign(input.lead, c.enrichment, routingFacts(db, c.lead_id, queue, c.enrichment, c.intent, chosen), input.policy, loadRoutingState(db, input.policy, input.now), input.now)
    : unassigned(queue, 'assign_owner is not an allowed action in the policy: posted in the queue channel, unassigned');
  const a = chosen ? { ...assigned, reason: `chosen by ${c.human?.user_id} in Edit & approve` } : assigned;
  const id = recordAssignment(db, {
    leadId: c.lead_id, decisionId: c.decision_id, assignment: a, now: input.now,
    endReason: chosen ? `owner chosen by ${c.human?.user_id}` : `moved to the ${queue} queue`,
    credit: current ? 'reassigned' : null,
  });
  auditAssignment(audit, c, a, id, c.human?.user_id ?? 'system');
  enqueueAssignmentEffects(db, c, id, a);
}
