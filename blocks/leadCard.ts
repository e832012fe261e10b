import { ACTION_IDS, actionValue } from './codec.ts';
import { safeMrkdwn, safePlain } from './escape.ts';
import { claimLine, factsSection, footerContext, ownerLine, resolutionLine, rulesContext, summarySection, whoSection } from './leadFacts.ts';
import type { CardState, SlackMessage } from './model.ts';

const PRIORITY_ICON: Record<string, string> = { high: ':red_circle:', medium: ':large_orange_circle:', low: ':white_circle:' };

/** The card posted to the lead's queue channel: who, company, intent, fit, rules, and who owns it. */
export function leadCard(s: CardState): SlackMessage {
  const icon = PRIORITY_ICON[s.decision.priority] ?? '';
  const title = `New lead: ${s.lead.company ?? s.lead.name ?? s.lead.email}`;
  const status = [ownerLine(s), claimLine(s), resolutionLine(s)].filter((x): x is string => x !== null);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: safePlain(title, 150), emoji: false } },
    whoSection(s),
    factsSection(s),
    summarySection(s),
    rulesContext(s),
  ];
  if (status.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: status.join('\n') } });
  blocks.push({
    type: 'actions',
    block_id: 'lead_actions',
    elements: [
      ...(s.owner?.user_id && !s.owner.accepted_at && !s.claim
        ? [{ type: 'button', action_id: ACTION_IDS.accept, style: 'primary', text: { type: 'plain_text', text: 'Accept' }, value: actionValue({ kind: 'accept', leadId: s.lead.id }) }]
        : []),
      ...(s.claim ? [] : [{ type: 'button', action_id: ACTION_IDS.claim, ...(s.owner?.user_id ? {} : { style: 'primary' }), text: { type: 'plain_text', text: 'Take this lead' }, value: actionValue({ kind: 'claim', leadId: s.lead.id }) }]),
      { type: 'button', action_id: ACTION_IDS.reassign, text: { type: 'plain_text', text: 'Reassign' }, value: actionValue({ kind: 'reassign', leadId: s.lead.id }) },
    ],
  });
  blocks.push(footerContext(s));
  return { text: `${icon} ${safeMrkdwn(title, 150)} (${s.decision.priority} priority)`.trim(), blocks };
}
