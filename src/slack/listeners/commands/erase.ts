import type { webApi } from '@slack/bolt';
import { eraseModal } from '../../../../blocks/modals.ts';
import { describeErasure, findPerson } from '../../../privacy/person.ts';
import type { SlackContext } from '../../context.ts';
import { replies } from '../../replies.ts';

/**
 * `/triage erase <email|lead-id>`: approvers only. Opens the confirmation modal with how many leads match; nothing
 * is erased until it is submitted (views/eraseSubmit.ts). Returns the ephemeral reply when no modal opens.
 */
export async function openEraseModal(ctx: SlackContext, client: webApi.WebClient, c: { target: string; userId: string; triggerId: string; channel: string }): Promise<string | null> {
  if (!(await ctx.approvers.isApprover(c.userId))) return replies.notApprover();
  const person = findPerson(ctx.db, c.target);
  if (person.kind === 'none') return replies.noErasure(person.why);
  if (person.kind === 'erased') return replies.alreadyErased(person.at);
  const plan = describeErasure(ctx.db, person.leads.map((l) => l.id));
  const summary = { leads: person.leads.length, first: person.leads[0]!.created_at, last: person.leads.at(-1)!.created_at, ...plan };
  const channel = /^[CGD][A-Z0-9]+$/.test(c.channel) ? c.channel : null;
  await client.views.open({ trigger_id: c.triggerId, view: eraseModal(c.target, summary, { target: c.target, channel }) as never });
  return null;
}
