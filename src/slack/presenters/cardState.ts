import type { CanonicalLead } from '../../core/lead.ts';
import type { CardState, DecisionView } from '../../../blocks/model.ts';
import { ClassificationSchema } from '../../core/classification.ts';
import type { Db } from '../../store/db.ts';
import type { LeadStore } from '../../store/leads.ts';
import { latestDecision, reviewedDecision, type StoredDecision } from '../../store/decisions.ts';
import { loadOwnerView } from './ownerState.ts';

export type CardKind = 'lead' | 'review';

function decisionView(s: StoredDecision): DecisionView {
  return {
    id: s.row.id,
    version: s.row.version,
    status: s.row.status,
    final_action: s.decision.final_action,
    route: s.decision.route,
    priority: s.decision.priority,
    rules: s.decision.rules,
    held_actions: s.decision.held_actions,
    decided_by: s.row.decided_by,
    resolved_at: s.row.resolved_at,
    human: s.human,
    readings: s.decision.readings ?? null,
  };
}

/** The CRM record link, when the CRM effect reported one (HubSpot adapters return `url`). */
function crmUrl(db: Db, leadId: string): string | null {
  const result = db
    .prepare("SELECT result_json FROM outbox WHERE lead_id = ? AND kind = 'crm_upsert_contact' AND status = 'done' ORDER BY id DESC LIMIT 1")
    .pluck()
    .get(leadId) as string | null | undefined;
  if (!result) return null;
  try {
    const url = (JSON.parse(result) as { url?: unknown }).url;
    return typeof url === 'string' ? url : null;
  } catch {
    return null;
  }
}

/** How reminders name a lead: "Dana Buyer (BigCo)", else its email, else its id. Raw text: the block builders escape it. */
export function leadWho(lead: Pick<CanonicalLead, 'name' | 'company' | 'email'> | undefined, leadId: string): string {
  return [lead?.name, lead?.company ? `(${lead.company})` : null].filter(Boolean).join(' ') || lead?.email || leadId;
}

/** Reads everything one card shows; the lead card follows the latest decision, the review card the reviewed one. */
export function loadCardState(db: Db, leads: LeadStore, leadId: string, card: CardKind): CardState | null {
  const lead = leads.get(leadId);
  const stored = card === 'review' ? reviewedDecision(db, leadId) : latestDecision(db, leadId);
  if (!lead || !stored) return null;
  const parsed = ClassificationSchema.safeParse(stored.classification?.classification);
  const claim = db.prepare('SELECT user_id, claimed_at FROM lead_claims WHERE lead_id = ?').get(leadId) as CardState['claim'] | undefined;
  return {
    lead: { ...lead.lead, id: lead.id },
    classification: parsed.success ? parsed.data : null,
    classifier_failure: parsed.success ? null : (stored.classification?.failure ?? 'no classification'),
    decision: decisionView(stored),
    claim: claim ?? null,
    owner: loadOwnerView(db, leadId),
    crm_url: crmUrl(db, leadId),
  };
}
