import { mention, safeMrkdwn } from './escape.ts';
import { leadCard } from './leadCard.ts';
import type { CardState, SlackMessage } from './model.ts';

const who = (s: CardState) => safeMrkdwn(s.lead.company ?? s.lead.name ?? s.lead.email, 200);
const leadRef = (leadId: string) => `Lead \`${safeMrkdwn(leadId, 64)}\``;

/** The direct message a new owner gets: why it is theirs, then the card itself (Accept / Take / Reassign work here too). */
export function assigneeDm(s: CardState, slaText: string | null): SlackMessage {
  const card = leadCard(s);
  const why = s.owner ? safeMrkdwn(s.owner.reason, 400) : 'assigned to you';
  const clock = slaText ? ` Please accept within ${safeMrkdwn(slaText, 40)}.` : '';
  const intro = { type: 'section', text: { type: 'mrkdwn', text: `:inbox_tray: *You own a new lead: ${who(s)}* (${why}).${clock}` } };
  return { text: `You own a new lead: ${who(s)}`, blocks: [intro, ...card.blocks] };
}

/** Nobody in the pool could take the lead: the manager hears it at once, with each member's reason. */
export function routingAlert(s: CardState, manager: string): SlackMessage {
  const why = s.owner ? safeMrkdwn(s.owner.reason, 1500) : 'nobody is eligible';
  const text = `${mention(manager)} nobody could be assigned ${who(s)}: ${why}. It waits unassigned in its queue channel.`;
  return { text: `Nobody could be assigned ${who(s)}`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:rotating_light: ${text}` } }, { type: 'context', elements: [{ type: 'mrkdwn', text: leadRef(s.lead.id) }] }] };
}

export interface LadderNotice {
  leadId: string;
  who: string;
  /** The person the notice is about: the assignee for a reminder, the manager for an escalation. */
  mentionUser: string;
  waited: string;
  assignee: string | null;
}

export function slaReminder(n: LadderNotice): SlackMessage {
  const text = `${mention(n.mentionUser)} ${safeMrkdwn(n.who, 200)} has waited ${safeMrkdwn(n.waited, 40)} for you: press *Accept* or reply in this thread.`;
  return { text: `Reminder: ${safeMrkdwn(n.who, 200)} is waiting`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:hourglass_flowing_sand: ${text}` } }, { type: 'context', elements: [{ type: 'mrkdwn', text: leadRef(n.leadId) }] }] };
}

export function slaEscalation(n: LadderNotice): SlackMessage {
  const holder = n.assignee ? `assigned to ${mention(n.assignee)}` : 'unassigned';
  const text = `${mention(n.mentionUser)} escalation: ${safeMrkdwn(n.who, 200)} has waited ${safeMrkdwn(n.waited, 40)} without a first touch (${holder}).`;
  return { text: `Escalation: ${safeMrkdwn(n.who, 200)} has waited ${safeMrkdwn(n.waited, 40)}`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:rotating_light: ${text}` } }, { type: 'context', elements: [{ type: 'mrkdwn', text: leadRef(n.leadId) }] }] };
}
