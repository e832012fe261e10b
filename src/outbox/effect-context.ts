import type { ClassifierResult } from '../core/classification.ts';
import type { Decision } from '../core/decision.ts';
import type { OutboxEffect } from '../core/effects.ts';
import { PermanentError } from '../core/upstream.ts';
import type { Db } from '../store/db.ts';
import { getDecision } from '../store/decisions.ts';
import { LeadStore, type LeadRecord } from '../store/leads.ts';

export interface EffectContext {
  lead: LeadRecord;
  decision: Decision;
  classification: ClassifierResult | null;
  decided_at: string;
}

/** Reads what was committed for this effect (payloads carry ids only), re-validating the stored JSON. */
export function loadEffectContext(db: Db, effect: OutboxEffect): EffectContext {
  const lead = new LeadStore(db).get(effect.lead_id);
  if (!lead) throw new PermanentError(`${effect.kind}: lead ${effect.lead_id} not found`);
  let stored;
  try {
    stored = getDecision(db, effect.decision_id);
  } catch {
    throw new PermanentError(`${effect.kind}: stored decision is invalid`);
  }
  if (!stored || stored.row.lead_id !== effect.lead_id) throw new PermanentError(`${effect.kind}: decision ${effect.decision_id} not found`);
  return { lead, decision: stored.decision, classification: stored.classification, decided_at: stored.row.created_at };
}
