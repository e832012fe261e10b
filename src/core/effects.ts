import type { Action } from './decision.ts';

/**
 * Side effects the outbox knows how to run. Payloads carry ids only; handlers read the lead and
 * decision from the store so a retried effect always acts on what was committed.
 */
export const EFFECT_KINDS = [
  'crm_upsert_contact',
  'crm_add_note',
  'crm_create_task',
  'crm_assign_owner',
  'slack_lead_card',
  'slack_review_card',
  'slack_update_card',
  'slack_review_reminder',
  'slack_first_touch_nudge',
  'slack_daily_digest',
  'slack_notice',
  'slack_refresh_note',
  'slack_assignee_dm',
  'slack_routing_alert',
  'slack_sla_remind',
  'slack_sla_escalate',
  'slack_redact',
  'email_ack',
] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

export interface OutboxEffect {
  id: number;
  lead_id: string;
  decision_id: string;
  kind: EffectKind;
  dedupe_key: string;
  payload: Record<string, unknown>;
  attempts: number;
  correlation_id: string;
}

/**
 * The effect each executable action turns into; `reject_lead` only changes the lead's status, and
 * `assign_owner` is carried out by the commit itself (routing/commitAssignment.ts), which picks the owner.
 */
export const ACTION_EFFECT: Record<Action, EffectKind | null> = {
  crm_upsert_contact: 'crm_upsert_contact',
  crm_add_note: 'crm_add_note',
  crm_create_task: 'crm_create_task',
  slack_post_lead: 'slack_lead_card',
  send_ack_email: 'email_ack',
  assign_owner: null,
  reject_lead: null,
};
