import { ACTION_IDS, actionValue } from './codec.ts';
import { safeMrkdwn, safePlain } from './escape.ts';
import { actionsInWords } from './actionWords.ts';
import { LIMITS } from './limits.ts';
import { clipText } from '../src/core/text.ts';
import { claimLine, factsSection, footerContext, resolutionLine, rulesContext, summarySection, whoSection } from './leadFacts.ts';
import type { CardState, SlackMessage } from './model.ts';

/**
 * Why the policy held the lead: the rules, the actions waiting, and the agent's own recommendation. Once a person
 * has decided, it says what was held (the resolution line says what happened), never "waiting".
 */
function heldSection(s: CardState) {
  const c = s.classification;
  const rec = c ? `*Agent recommends* \`${c.recommended_action}\` with confidence ${Math.round(c.confidence * 100)}%` : '*Agent*: no usable recommendation';
  const held = s.decision.held_actions.length ? actionsInWords(s.decision.held_actions) : 'nothing';
  const why = s.decision.rules.slice(0, 4).map((r) => safeMrkdwn(r.reason, 160)).join('; ') || 'the policy';
  // The two keys side by side: the rules' reading quotes what the submitter wrote, so it is escaped like any of it.
  const r = s.decision.readings;
  const keys = r ? `\n*Model*: ${safeMrkdwn(r.model, 200)} · *Rules*: ${safeMrkdwn(r.rules, 600)}` : '';
  const pending = s.decision.status === 'pending_review';
  const tail = pending ? `\n*Approving will*: ${held}` : '';
  return { type: 'section', text: { type: 'mrkdwn', text: clipText(`${rec}\n*${pending ? 'Held for review because' : 'Was held because'}*: ${why}${keys}${tail}`, LIMITS.sectionText) } };
}

/** What the person wrote, escaped and clipped: the summary is the model's reading, this is the source. */
function messageSection(s: CardState) {
  return { type: 'section', text: { type: 'mrkdwn', text: `*Message*\n${safeMrkdwn(s.lead.message, 1500) || '_(empty)_'}` } };
}

/** The card in the review channel; its buttons act on exactly one decision version. */
export function reviewCard(s: CardState): SlackMessage {
  const title = `Review: ${s.lead.company ?? s.lead.name ?? s.lead.email}`;
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: safePlain(title, 150), emoji: false } },
    whoSection(s),
    messageSection(s),
    heldSection(s),
    factsSection(s),
    summarySection(s),
    rulesContext(s),
  ];
  const status = [resolutionLine(s), claimLine(s)].filter((x): x is string => x !== null);
  if (status.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: status.join('\n') } });
  if (s.decision.status === 'pending_review') {
    const target = { decisionId: s.decision.id };
    // Nothing held means the agent proposed nothing to run: approving as is would do nothing.
    const approvable = s.decision.held_actions.length > 0;
    if (!approvable) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'The agent proposed no route: choose one with *Edit & approve*, or *Reject*.' }] });
    const approve = { type: 'button', action_id: ACTION_IDS.approve, style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value: actionValue({ kind: 'approve', ...target }) };
    blocks.push({
      type: 'actions',
      block_id: 'review_actions',
      elements: [
        ...(approvable ? [approve] : []),
        { type: 'button', action_id: ACTION_IDS.reject, style: 'danger', text: { type: 'plain_text', text: 'Reject' }, value: actionValue({ kind: 'reject', ...target }) },
        { type: 'button', action_id: ACTION_IDS.edit, text: { type: 'plain_text', text: 'Edit & approve' }, value: actionValue({ kind: 'edit', ...target }) },
      ],
    });
  }
  blocks.push(footerContext(s));
  const state = s.decision.status === 'pending_review' ? 'needs review' : s.decision.status;
  return { text: `${safeMrkdwn(title, 150)} (${state})`, blocks };
}
