import type { SlackMessage } from './model.ts';
import { mention, safeMrkdwn } from './escape.ts';

export interface FirstTouchNudgeInput {
  leadId: string;
  /** Submitted text: escaped here like everywhere else. */
  who: string;
  waitedMinutes: number;
  slaMinutes: number;
  /** The queue the card was routed to (our own name, e.g. "sales"). */
  queue: string;
  /** The queue's owners from the policy file: the only people this message mentions. */
  owners: readonly string[];
}

/** A nudge in the lead card's thread when a routed lead has waited past the first-touch SLA with nobody taking it. */
export function firstTouchNudge(n: FirstTouchNudgeInput): SlackMessage {
  const audience = n.owners.map(mention).join(' ');
  const text = `Unclaimed: ${safeMrkdwn(n.who, 200)} has waited ${n.waitedMinutes} min with nobody taking it (first-touch SLA ${n.slaMinutes} min).`;
  const queue = safeMrkdwn(n.queue, 40);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:hourglass_flowing_sand: *${text}*\n${audience || `No owners are named for the ${queue} queue in the policy.`}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Lead \`${safeMrkdwn(n.leadId, 64)}\` · ${queue} queue · press *Take this lead* on the card above.` }] },
    ],
  };
}
