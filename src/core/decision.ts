import { z } from 'zod';
import { ASSIGNEES, PRIORITIES, INTENTS } from './classification.ts';

/**
 * The fixed action set. Nothing outside this list can ever be executed: the outbox only knows
 * how to run these, so the model cannot invent a side effect.
 */
export const ACTIONS = [
  'crm_upsert_contact',
  'crm_add_note',
  'crm_create_task',
  'slack_post_lead',
  'send_ack_email',
  'assign_owner',
  'reject_lead',
] as const;
export const ActionSchema = z.enum(ACTIONS);
export type Action = (typeof ACTIONS)[number];

export const FINAL_ACTIONS = ['auto_route_sales', 'auto_route_support', 'human_review', 'auto_reject_spam', 'hold'] as const;
export type FinalAction = (typeof FINAL_ACTIONS)[number];

export const RuleHitSchema = z.object({ rule: z.string(), reason: z.string() });
export type RuleHit = z.infer<typeof RuleHitSchema>;

/** What a human said on the review card: an approval, a rejection, or an edit that overrides the agent. */
export const HumanInputSchema = z.object({
  kind: z.enum(['approve', 'reject', 'edit', 'claim']),
  user_id: z.string(),
  reason: z.string().max(3000).nullable(),
  override: z
    .object({
      intent: z.enum(INTENTS).optional(),
      route: z.enum(ASSIGNEES).nullable().optional(),
      owner: z.string().nullable().optional(),
      priority: z.enum(PRIORITIES).optional(),
    })
    .nullable(),
});
export type HumanInput = z.infer<typeof HumanInputSchema>;

export const DecisionSchema = z.object({
  final_action: z.enum(FINAL_ACTIONS),
  route: z.enum(ASSIGNEES).nullable(),
  priority: z.enum(PRIORITIES),
  /** Executed now, through the outbox. */
  actions: z.array(ActionSchema),
  /** Held until an approver clicks Approve on the review card. */
  held_actions: z.array(ActionSchema),
  /** Every rule that fired, in the order it fired, with its reason. */
  rules: z.array(RuleHitSchema),
  needs_review: z.boolean(),
  policy_hash: z.string(),
  /** Both keys' readings of the lead (the model's, the deterministic layer's), for the card and the audit. */
  readings: z.object({ model: z.string(), rules: z.string() }).optional(),
});
export type Decision = z.infer<typeof DecisionSchema>;
