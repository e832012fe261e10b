import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ACTION_IDS, decodeAction } from '../../../../blocks/codec.ts';
import { refreshNote } from '../../../../blocks/refreshNote.ts';
import { isKillSwitchOn } from '../../../pipeline/kill-switch.ts';
import { applyRefresh, getRefresh } from '../../../review/refresh.ts';
import type { SlackContext } from '../../context.ts';
import { tellUser } from '../../ephemeral.ts';
import { refreshNoteView } from '../../presenters/refreshState.ts';
import { replies } from '../../replies.ts';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** "Apply this reading" on a refresh note: an approver's explicit choice to replace a person's outcome. */
export function register(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTION_IDS.apply_refresh }, async (args) => {
    await args.ack();
    await handle(ctx, args).catch((err: unknown) => {
      ctx.logger.error({ err, action: args.action.action_id, refresh_id: args.action.value }, 'apply refresh failed');
      return tellUser(args.client, ctx.logger, args.body.channel?.id, args.body.user.id, replies.error(err));
    });
  });
}

async function handle(ctx: SlackContext, { action, body, client, respond }: Args): Promise<void> {
  const parsed = decodeAction(action.action_id, action.value);
  if (parsed?.kind !== 'apply_refresh') return;
  const user = body.user.id;
  const channel = body.channel?.id ?? null;
  const refresh = getRefresh(ctx.db, parsed.refreshId);
  if (!refresh) return tellUser(client, ctx.logger, channel, user, replies.leadNotFound(parsed.refreshId));
  if (!(await ctx.approvers.isApprover(user))) {
    ctx.audit.record({ lead_id: refresh.row.lead_id, correlation_id: refresh.row.correlation_id, stage: 'review', event: 'refresh_apply_refused', actor: user, reason: 'not an approver' });
    return tellUser(client, ctx.logger, channel, user, replies.notApprover());
  }
  if (isKillSwitchOn(ctx.db, ctx.loaded.policy)) return tellUser(client, ctx.logger, channel, user, replies.pausedNothingApplied());
  const out = applyRefresh(ctx.db, ctx.audit, parsed.refreshId, user, { policy: ctx.loaded.policy, now: ctx.clock() });
  if (out.outcome === 'already_handled') return tellUser(client, ctx.logger, channel, user, replies.refreshHandled(out.status, out.by, out.at));
  const applied = getRefresh(ctx.db, parsed.refreshId);
  if (applied) await respond({ replace_original: true, ...refreshNote(refreshNoteView(applied)) } as never);
}
