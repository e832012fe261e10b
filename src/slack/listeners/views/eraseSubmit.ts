import type { App, ViewSubmitAction } from '@slack/bolt';
import { CALLBACK_IDS, decodeEraseMeta } from '../../../../blocks/codec.ts';
import { queueErasure } from '../../../privacy/eraseJob.ts';
import { findPerson } from '../../../privacy/person.ts';
import type { SlackContext } from '../../context.ts';
import { tellUser } from '../../ephemeral.ts';
import { replies } from '../../replies.ts';

/** The erase modal, confirmed: checked again (approver, the address's leads now) and queued as one job per lead. */
export function register(app: App, ctx: SlackContext): void {
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: CALLBACK_IDS.erase }, async ({ ack, view, body, client }) => {
    await ack();
    const meta = decodeEraseMeta(view.private_metadata);
    if (!meta) return;
    const user = body.user.id;
    try {
      if (!(await ctx.approvers.isApprover(user))) return tellUser(client, ctx.logger, meta.channel, user, replies.notApprover());
      const person = findPerson(ctx.db, meta.target);
      if (person.kind !== 'leads') return tellUser(client, ctx.logger, meta.channel, user, person.kind === 'erased' ? replies.alreadyErased(person.at) : replies.noErasure(person.why));
      queueErasure(ctx.db, person.leads.map((l) => l.id), { why: 'request', by: user, emailHash: person.emailHash });
      await tellUser(client, ctx.logger, meta.channel, user, replies.erasing(person.leads.length));
    } catch (err) {
      ctx.logger.error({ err }, 'erase failed');
      await tellUser(client, ctx.logger, meta.channel, user, replies.error(err));
    }
  });
}
