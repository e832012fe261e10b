import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ACTION_IDS, decodeAction } from '../../../../blocks/codec.ts';
import { editModal, rejectModal } from '../../../../blocks/modals.ts';
import { getDecision } from '../../../store/decisions.ts';
import { mayDecide, settleReview } from '../../../review/act.ts';
import type { SlackContext } from '../../context.ts';
import { tellUser } from '../../ephemeral.ts';
import { loadCardState } from '../../presenters/cardState.ts';
import { replies } from '../../replies.ts';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const REVIEW_ACTIONS = new RegExp(`^(${[ACTION_IDS.approve, ACTION_IDS.reject, ACTION_IDS.edit].join('|')})$`);

/** Approve / Reject / Edit & approve on the review card: one parameterised handler. */
export function register(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: REVIEW_ACTIONS }, async (args) => {
    await args.ack();
    await handle(ctx, args).catch((err: unknown) => {
      ctx.logger.error({ err, action: args.action.action_id, value: args.action.value }, 'review click failed');
      return tellUser(args.client, ctx.logger, args.body.channel?.id, args.body.user.id, replies.error(err));
    });
  });
}

async function handle(ctx: SlackContext, { action, body, client }: Args): Promise<void> {
  const parsed = decodeAction(action.action_id, action.value);
  if (!parsed || !('decisionId' in parsed)) return;
  const user = body.user.id;
  const channel = body.channel?.id ?? null;
  if (parsed.kind === 'approve') {
    const reply = replies.settled(await settleReview(ctx, { decisionId: parsed.decisionId, kind: 'approve', userId: user, reason: null }), user);
    if (reply) await tellUser(client, ctx.logger, channel, user, reply);
    return;
  }
  // Reject and Edit need a modal; a review someone else already settled gets the ephemeral instead.
  if (!(await mayDecide(ctx, user, parsed.decisionId, parsed.kind))) return tellUser(client, ctx.logger, channel, user, replies.notApprover());
  const stored = getDecision(ctx.db, parsed.decisionId);
  if (!stored) return;
  if (stored.row.status !== 'pending_review') {
    return tellUser(client, ctx.logger, channel, user, replies.alreadyHandled(stored.row.status, stored.row.decided_by, stored.row.resolved_at, user));
  }
  const state = loadCardState(ctx.db, ctx.leads, stored.row.lead_id, 'review');
  if (!state) return;
  const meta = { target: parsed.decisionId, channel };
  const view = parsed.kind === 'reject' ? rejectModal(state, meta) : editModal(state, meta);
  await client.views.open({ trigger_id: body.trigger_id, view: view as never });
}
