import { ASSIGNEES, INTENTS, PRIORITIES } from '../src/core/classification.ts';
import { CALLBACK_IDS, INPUTS, encodeModalMeta, type EraseMeta, type ModalMeta } from './codec.ts';
import { safeMrkdwn, safePlain } from './escape.ts';
import { section } from './section.ts';
import type { CardState } from './model.ts';

const option = (value: string) => ({ text: { type: 'plain_text', text: value }, value });

function select(block: { block: string; action: string }, label: string, values: readonly string[], initial: string | null, optional = false) {
  return {
    type: 'input',
    block_id: block.block,
    optional,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'static_select',
      action_id: block.action,
      options: values.map(option),
      ...(initial && values.includes(initial) ? { initial_option: option(initial) } : {}),
    },
  };
}

function reasonInput(required: boolean, placeholder: string) {
  return {
    type: 'input',
    block_id: INPUTS.reason.block,
    optional: !required,
    label: { type: 'plain_text', text: 'Reason' },
    element: { type: 'plain_text_input', action_id: INPUTS.reason.action, multiline: true, max_length: 3000, placeholder: { type: 'plain_text', text: placeholder } },
  };
}

function leadContext(s: CardState) {
  return { type: 'context', elements: [{ type: 'plain_text', text: safePlain(`${s.lead.name ?? ''} ${s.lead.email} ${s.lead.company ?? ''}`, 200) }] };
}

function modal(callbackId: string, meta: ModalMeta | EraseMeta, title: string, submit: string, blocks: unknown[]) {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: encodeModalMeta(meta),
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

export function rejectModal(s: CardState, meta: ModalMeta) {
  return modal(CALLBACK_IDS.reject, meta, 'Reject lead', 'Reject', [leadContext(s), reasonInput(true, 'Why is this lead rejected?')]);
}

/** Pre-filled with the agent's answer so the approver only changes what is wrong. */
export function editModal(s: CardState, meta: ModalMeta) {
  return modal(CALLBACK_IDS.edit, meta, 'Edit & approve', 'Approve', [
    leadContext(s),
    select(INPUTS.intent, 'Intent', INTENTS, s.classification?.intent ?? null),
    select(INPUTS.route, 'Route', ASSIGNEES, s.decision.route),
    {
      type: 'input',
      block_id: INPUTS.owner.block,
      optional: true,
      label: { type: 'plain_text', text: 'Owner' },
      element: { type: 'users_select', action_id: INPUTS.owner.action },
    },
    select(INPUTS.priority, 'Priority', PRIORITIES, s.decision.priority),
    reasonInput(true, 'What did the agent get wrong?'),
  ]);
}

export function reassignModal(s: CardState, meta: ModalMeta) {
  return modal(CALLBACK_IDS.reassign, meta, 'Reassign lead', 'Reassign', [
    leadContext(s),
    {
      type: 'input',
      block_id: INPUTS.assignee.block,
      label: { type: 'plain_text', text: 'New owner' },
      element: { type: 'users_select', action_id: INPUTS.assignee.action },
    },
  ]);
}

export interface EraseSummary {
  leads: number;
  first: string;
  last: string;
  slackMessages: number;
  crm: Array<{ crm: string; contact_id: string; url: string | null }>;
}

/** "Erase N leads of this address?": what will be forgotten, and the CRM record that will not be. */
export function eraseModal(target: string, s: EraseSummary, meta: EraseMeta) {
  const plural = s.leads === 1 ? '' : 's';
  const crm = s.crm.map((r) => `• ${safeMrkdwn(r.crm, 20)} contact ${safeMrkdwn(r.contact_id, 40)}${r.url ? ` (${safeMrkdwn(r.url, 200)})` : ''}`);
  return modal(CALLBACK_IDS.erase, meta, 'Erase a person', 'Erase', [
    { type: 'context', elements: [{ type: 'plain_text', text: safePlain(target, 320) }] },
    section(`*${s.leads} lead${plural}* from this address (${s.first.slice(0, 10)}${s.leads > 1 ? ` to ${s.last.slice(0, 10)}` : ''}) will be erased: `
      + `their details everywhere lead-triage keeps them, the personal fields of their audit trail, and ${s.slackMessages} Slack message${s.slackMessages === 1 ? '' : 's'}, `
      + 'replaced by an "erased" card. The audit trail keeps its figures. *This cannot be undone.*'),
    ...(crm.length ? [section(`Not deleted here: the CRM record${crm.length === 1 ? '' : 's'} below. Use the CRM's own GDPR delete.\n${crm.join('\n')}`)] : []),
  ]);
}
