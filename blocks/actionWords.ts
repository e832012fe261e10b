import type { Action } from '../src/core/decision.ts';

/** What each action of the fixed set does, in the words a rep reads on a card. */
export const ACTION_WORDS: Record<Action, string> = {
  crm_upsert_contact: 'create or update the CRM contact',
  crm_add_note: 'add a note to it',
  crm_create_task: 'create a follow-up task',
  slack_post_lead: 'post the lead card in its queue',
  assign_owner: 'assign an owner',
  send_ack_email: 'send the acknowledgement email',
  reject_lead: 'reject the lead',
};

export const actionsInWords = (actions: readonly Action[]): string => actions.map((a) => ACTION_WORDS[a]).join(', ');
