import { z } from 'zod';
import type { Db } from '../store/db.ts';
import { latestDecision } from '../store/decisions.ts';

/** What a person did with a lead that the pipeline must not undo on its own. */
export const HumanOutcomeSchema = z.object({ kind: z.enum(['approved', 'rejected', 'edited', 'claimed']), by: z.string(), at: z.string() });
export type HumanOutcome = z.infer<typeof HumanOutcomeSchema>;

const KIND = { approve: 'approved', reject: 'rejected', edit: 'edited', claim: 'claimed' } as const;

/**
 * The lead's standing human outcome: its latest decision carries a person's input (approve, reject, edit),
 * or someone took it. An approver who applies a refreshed machine decision hands the lead back to the
 * machine: that decision carries no human input, so only a claim then remains.
 */
export function humanOutcome(db: Db, leadId: string): HumanOutcome | null {
  const latest = latestDecision(db, leadId);
  if (latest?.human) return { kind: KIND[latest.human.kind], by: latest.human.user_id, at: latest.row.created_at };
  const claim = db.prepare('SELECT user_id, claimed_at FROM lead_claims WHERE lead_id = ?').get(leadId) as { user_id: string; claimed_at: string } | undefined;
  return claim ? { kind: 'claimed', by: claim.user_id, at: claim.claimed_at } : null;
}
