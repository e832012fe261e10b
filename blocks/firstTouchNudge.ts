import type { SlackMessage } from './model.ts';
import { mention, safeMrkdwn } from './escape.ts';

export interface FirstTouchNudgeInput {
  leadId: string;
  /** Submitted text: escaped here like everywhere else. */
  who: string;
  /** How long it has waited, in words ("15 min"): the SLA ladder step that fired. */
  waited: string;
  /** The queue the card was routed to (our own name, e.g. "sales"). */
  queue: string;
  /** The queue's owners from the policy file: the only people this message mentions. */
  owners: readonly string[];
}

/** The SLA ladder's reminder in the lead card's thread for a lead nobody owns: it mentions the queue's owners. */
export function firstTouchNudge(n: FirstTouchNudgeInput): SlackMessage {
  const audience = n.owners.map(mention).join(' ');
  const text = `Unclaimed: ${safeMrkdwn(n.who, 200)} has waited ${safeMrkdwn(n.waited, 40)} with nobody taking it.`;
  const queue = safeMrkdwn(n.queue, 40);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:hourglass_flowing_sand: *${text}*\n${audience || `No owners are named for the ${queue} queue in the policy.`}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Lead \`${safeMrkdwn(n.leadId, 64)}\` · ${queue} queue · press *Take this lead* on the card above.` }] },
    ],
  };
}
