import { randomUUID } from 'node:crypto';
import type { ClassifierResult } from '../core/classification.ts';
import type { Decision, HumanInput } from '../core/decision.ts';
import { ACTION_EFFECT, type EffectKind } from '../core/effects.ts';
import type { Enrichment } from '../core/enrichment.ts';
import { enqueueEffect } from '../outbox/enqueue.ts';
import { commitAssignment, type RoutingInput } from '../routing/commitAssignment.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { LeadStatus } from '../store/leads.ts';

/** Effects that happen at most once per lead whatever is decided later (later decisions update them instead). */
const ONCE_PER_LEAD: ReadonlySet<EffectKind> = new Set(['crm_add_note', 'crm_create_task', 'slack_lead_card', 'slack_review_card', 'email_ack']);

export function dedupeKey(kind: EffectKind, leadId: string, decisionId: string): string {
  return ONCE_PER_LEAD.has(kind) ? `${leadId}:${kind}` : `${decisionId}:${kind}`;
}

export interface CommitInput {
  lead_id: string;
  correlation_id: string;
  decision: Decision;
  classification: ClassifierResult | null;
  enrichment: Enrichment | null;
  human?: HumanInput | null;
  /** The job that produced it: a unique index makes a resumed job's second commit a no-op. */
  job_id?: number | null;
  actor?: string;
  /** Present wherever a decision can route a lead: the owner is picked in the same transaction. */
  routing?: RoutingInput;
}

export interface CommitResult {
  decision_id: string;
  version: number;
  /** False when this job had already committed its decision before a crash. */
  created: boolean;
  effects: EffectKind[];
}

export function leadStatusFor(decision: Decision): LeadStatus {
  if (decision.final_action === 'hold') return 'held';
  if (decision.needs_review) return 'pending_review';
  if (decision.final_action === 'auto_reject_spam' || decision.actions.includes('reject_lead')) return 'rejected';
  return 'routed';
}

/**
 * The transactional outbox: the decision, its effects, the lead's status and the audit row are
 * written together or not at all, so a crash can never leave an effect without its decision or
 * a decision whose effects are lost.
 */
export function commitDecision(db: Db, audit: AuditLog, input: CommitInput): CommitResult {
  return db.transaction((): CommitResult => {
    if (input.job_id != null) {
      const prior = db.prepare('SELECT id, version FROM decisions WHERE job_id = ?').get(input.job_id) as { id: string; version: number } | undefined;
      if (prior) return { decision_id: prior.id, version: prior.version, created: false, effects: [] };
    }
    const now = new Date().toISOString();
    const previous = db.prepare('SELECT MAX(version) FROM decisions WHERE lead_id = ?').pluck().get(input.lead_id) as number | null;
    const version = (previous ?? 0) + 1;
    const id = randomUUID();
    const d = input.decision;
    // A fresh decision replaces any review still waiting: the old card's buttons must no longer act.
    // `+status`: look the lead's few rows up by lead_id; on the status index this scanned every pending review.
    db.prepare("UPDATE decisions SET status = 'superseded', resolved_at = ? WHERE lead_id = ? AND +status = 'pending_review'").run(now, input.lead_id);
    db.prepare(`INSERT INTO decisions (id, lead_id, job_id, version, final_action, status, decision_json, classification_json, enrichment_json,
        human_json, classifier, policy_hash, prompt_version, decided_by, correlation_id, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      id, input.lead_id, input.job_id ?? null, version, d.final_action, d.needs_review ? 'pending_review' : 'executed',
      JSON.stringify(d), input.classification ? JSON.stringify(input.classification) : null,
      input.enrichment ? JSON.stringify(input.enrichment) : null, input.human ? JSON.stringify(input.human) : null,
      input.classification?.classifier ?? null, d.policy_hash, input.classification?.prompt_version ?? null,
      input.actor ?? 'system', input.correlation_id, now,
    );

    const effects: EffectKind[] = [];
    for (const action of d.actions) {
      const kind = ACTION_EFFECT[action];
      if (kind) effects.push(kind);
    }
    if (d.needs_review) effects.push('slack_review_card');
    if (version > 1) effects.push('slack_update_card');
    const queued = effects.filter((kind) =>
      enqueueEffect(db, { lead_id: input.lead_id, decision_id: id, kind, dedupe_key: dedupeKey(kind, input.lead_id, id), payload: {}, correlation_id: input.correlation_id }),
    );
    const status = leadStatusFor(d);
    db.prepare('UPDATE leads SET status = ?, updated_at = ? WHERE id = ?').run(status, now, input.lead_id);
    audit.record({
      lead_id: input.lead_id,
      correlation_id: input.correlation_id,
      stage: 'act',
      event: 'decision_committed',
      actor: input.actor ?? 'system',
      decision: d.final_action,
      rules: d.rules.map((r) => r.rule),
      reason: d.rules.map((r) => `${r.rule}: ${r.reason}`).join('; ') || null,
      output: { decision_id: id, version, actions: d.actions, held_actions: d.held_actions, effects: queued, human: input.human ?? null, readings: d.readings ?? null },
      policy_hash: d.policy_hash,
      prompt_version: input.classification?.prompt_version ?? null,
    });
    if (input.routing) {
      const intent = input.human?.override?.intent ?? input.classification?.classification?.intent ?? null;
      commitAssignment(db, audit, {
        lead_id: input.lead_id, decision_id: id, correlation_id: input.correlation_id, decision: d,
        enrichment: input.enrichment, human: input.human ?? null, intent, status,
      }, input.routing);
    }
    return { decision_id: id, version, created: true, effects: queued };
  })();
}
