import type { App, ViewSubmitAction } from '@slack/bolt';
import { CALLBACK_IDS, INPUTS, decodeModalMeta } from '../../../../blocks/codec.ts';
import { currentOwner, reassignLead } from '../../../review/claim.ts';
import type { SlackContext } from '../../context.ts';
import { tellUser } from '../../ephemeral.ts';
import { replies } from '../../replies.ts';

/** Reassign modal: moves the lead to the picked user (current owner or approvers only, checked again here). */
export function register(app: App, ctx: SlackContext): void {
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: CALLBACK_IDS.reassign }, async ({ ack, view, body, client }) => {
    await ack();
    const meta = decodeModalMeta(view.private_metadata);
    const picked = view.state.values[INPUTS.assignee.block]?.[INPUTS.assignee.action]?.selected_user;
    if (!meta || !picked || !/^[UW][A-Z0-9]{2,}$/.test(picked)) return;
    const user = body.user.id;
    try {
      if (currentOwner(ctx.db, meta.target) !== user && !(await ctx.approvers.isApprover(user))) return tellUser(client, ctx.logger, meta.channel, user, replies.notAllowedReassign());
      if (reassignLead(ctx.db, ctx.audit, meta.target, picked, user, ctx.clock())) ctx.metrics.claims.inc({ how: 'reassign' });
    } catch (err) {
      ctx.logger.error({ err, lead_id: meta.target }, 'reassign failed');
      await tellUser(client, ctx.logger, meta.channel, user, replies.error(err));
    }
  });
}
