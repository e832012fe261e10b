import type { SlackMessage } from './model.ts';
import { mention, safeMrkdwn } from './escape.ts';

export interface ReminderInput {
  leadId: string;
  /** Submitted text: escaped here like everywhere else. */
  who: string;
  waitedMinutes: number;
  slaMinutes: number;
  approvers: readonly string[];
  usergroup: string | null;
}

/** A nudge in the review thread when a held lead has waited past the policy's review SLA. */
export function reviewReminder(r: ReminderInput): SlackMessage {
  const audience = [
    ...r.approvers.map(mention),
    ...(r.usergroup && /^S[A-Z0-9]{2,}$/.test(r.usergroup) ? [`<!subteam^${r.usergroup}>`] : []),
  ].join(' ');
  const text = `Review overdue: ${safeMrkdwn(r.who, 200)} has waited ${r.waitedMinutes} min (SLA ${r.slaMinutes} min).`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:alarm_clock: *${text}*\n${audience || 'No approvers are named in the policy.'}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Lead \`${safeMrkdwn(r.leadId, 64)}\` · approve, reject or edit it on the review card above.` }] },
    ],
  };
}
