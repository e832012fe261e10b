import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ACTION_IDS, decodeAction } from '../../../../blocks/codec.ts';
import { reassignModal } from '../../../../blocks/modals.ts';
import { currentOwner } from '../../../review/claim.ts';
import { acceptAs, takeLead } from '../../../review/act.ts';
import type { SlackContext } from '../../context.ts';
import { tellUser } from '../../ephemeral.ts';
import { loadCardState } from '../../presenters/cardState.ts';
import { replies } from '../../replies.ts';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const LEAD_ACTIONS = new RegExp(`^(${ACTION_IDS.claim}|${ACTION_IDS.reassign}|${ACTION_IDS.accept})$`);

/** "Accept" (the assignee), "Take this lead" (anyone in the channel) and "Reassign" (current owner or an approver). */
export function register(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: LEAD_ACTIONS }, async (args) => {
    await args.ack();
    await handle(ctx, args).catch((err: unknown) => {
      ctx.logger.error({ err, action: args.action.action_id, lead_id: args.action.value }, 'lead click failed');
      return tellUser(args.client, ctx.logger, args.body.channel?.id, args.body.user.id, replies.error(err));
    });
  });
}

async function handle(ctx: SlackContext, { action, body, client }: Args): Promise<void> {
  const parsed = decodeAction(action.action_id, action.value);
  if (!parsed || !('leadId' in parsed)) return;
  const user = body.user.id;
  const channel = body.channel?.id ?? null;
  if (parsed.kind === 'accept') {
    const out = acceptAs(ctx, parsed.leadId, user, 'accept button');
    if (out.outcome === 'not_assignee') await tellUser(client, ctx.logger, channel, user, replies.notAssignee(out.owner));
    return;
  }
  if (parsed.kind === 'claim') {
    const out = takeLead(ctx, parsed.leadId, user);
    await tellUser(client, ctx.logger, channel, user, out.outcome === 'already_claimed' ? replies.alreadyClaimed(out.by, out.at, out.by === user) : replies.claimed());
    return;
  }
  if (currentOwner(ctx.db, parsed.leadId) !== user && !(await ctx.approvers.isApprover(user))) return tellUser(client, ctx.logger, channel, user, replies.notAllowedReassign());
  const state = loadCardState(ctx.db, ctx.leads, parsed.leadId, 'lead');
  if (!state) return;
  await client.views.open({ trigger_id: body.trigger_id, view: reassignModal(state, { target: parsed.leadId, channel }) as never });
}
