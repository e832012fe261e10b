import { z } from 'zod';
import { ASSIGNEES, INTENTS, PRIORITIES } from '../core/classification.ts';
import type { HumanInput } from '../core/decision.ts';
import { clipText } from '../core/text.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Approvers } from '../slack/approvers.ts';
import { getDecision } from '../store/decisions.ts';
import { acceptLead, claimLead, type AcceptOutcome, type ClaimOutcome } from './claim.ts';
import { resolveReview, type ReviewDeps, type ReviewKind, type ReviewOutcome } from './resolve.ts';

/** What a person acts through, in Slack or in the console: the same services, authorization, audit and counters. */
export interface ActDeps extends ReviewDeps {
  approvers: Approvers;
  metrics: Pick<Metrics, 'humanDecisions' | 'claims'>;
  clock: () => number;
}

// Edit input is untrusted (a Slack modal, a console form): only values from our own option lists pass.
const OverrideSchema = z.object({
  intent: z.enum(INTENTS).optional(),
  route: z.enum(ASSIGNEES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  owner: z.string().regex(/^[UW][A-Z0-9]{2,}$/).nullable(),
});

export interface SettleRequest {
  decisionId: string;
  kind: ReviewKind;
  userId: string;
  /** Required for reject and edit. */
  reason: string | null;
  /** Edit only: the corrected values as submitted, validated here. */
  edit?: { intent?: string | undefined; route?: string | undefined; priority?: string | undefined; owner?: string | null | undefined };
}

export type SettleOutcome = ReviewOutcome | { outcome: 'not_approver' } | { outcome: 'reason_required' } | { outcome: 'invalid_edit' };

/** An outsider's attempt is audited on the lead it aimed at, then refused. */
export async function mayDecide(deps: Pick<ActDeps, 'db' | 'audit' | 'approvers'>, userId: string, decisionId: string, kind: ReviewKind): Promise<boolean> {
  if (await deps.approvers.isApprover(userId)) return true;
  const target = getDecision(deps.db, decisionId);
  if (target) deps.audit.record({ lead_id: target.row.lead_id, correlation_id: target.row.correlation_id, stage: 'access', event: 'review_refused', actor: userId, reason: `not an approver (${kind})` });
  return false;
}

/** Approve, Reject (with a reason) or Edit & approve, by a person: authorized, validated, settled exactly once, counted. */
export async function settleReview(deps: ActDeps, req: SettleRequest): Promise<SettleOutcome> {
  // Re-checked at every submission: a form may have been opened before its user lost approver rights.
  if (!(await mayDecide(deps, req.userId, req.decisionId, req.kind))) return { outcome: 'not_approver' };
  const reason = req.reason?.trim() ?? '';
  if (req.kind !== 'approve' && !reason) return { outcome: 'reason_required' };
  let override: HumanInput['override'] = null;
  if (req.kind === 'edit') {
    const parsed = OverrideSchema.safeParse({ ...req.edit, owner: req.edit?.owner ?? null });
    if (!parsed.success) return { outcome: 'invalid_edit' };
    override = parsed.data;
  }
  const out = resolveReview(deps, { decisionId: req.decisionId, kind: req.kind, userId: req.userId, reason: reason ? clipText(reason, 3000) : null, override });
  if (out.outcome === 'resolved') deps.metrics.humanDecisions.inc({ decision: req.kind });
  return out;
}

/** Take this lead, by a person: the first click wins (audited in claimLead), and a win is counted. */
export function takeLead(deps: Pick<ActDeps, 'db' | 'audit' | 'metrics' | 'clock'>, leadId: string, userId: string): ClaimOutcome {
  const out = claimLead(deps.db, deps.audit, leadId, userId, deps.clock());
  if (out.outcome === 'claimed') deps.metrics.claims.inc({ how: 'take_this_lead' });
  return out;
}

/** The assignee's first touch (Accept, or a reply in the card's thread): stops the SLA clock, counted once. */
export function acceptAs(deps: Pick<ActDeps, 'db' | 'audit' | 'metrics' | 'clock'>, leadId: string, userId: string, how: 'accept button' | 'thread reply'): AcceptOutcome {
  const out = acceptLead(deps.db, deps.audit, leadId, userId, how, deps.clock());
  if (out.outcome === 'accepted') deps.metrics.claims.inc({ how: how === 'accept button' ? 'accept_button' : 'thread_reply' });
  return out;
}
