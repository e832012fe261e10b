import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { CALLBACK_IDS, INPUTS, decodeModalMeta } from '../../../../blocks/codec.ts';
import { ASSIGNEES, INTENTS, PRIORITIES } from '../../../core/classification.ts';
import type { HumanInput } from '../../../core/decision.ts';
import { resolveReview } from '../../../review/resolve.ts';
import { clipText } from '../../../core/text.ts';
import type { SlackContext } from '../../context.ts';
import { tellUser } from '../../ephemeral.ts';
import { replies } from '../../replies.ts';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type Values = ViewSubmitAction['view']['state']['values'];

const reasonOf = (v: Values) => v[INPUTS.reason.block]?.[INPUTS.reason.action]?.value?.trim() ?? '';
const selected = (v: Values, b: { block: string; action: string }) => v[b.block]?.[b.action]?.selected_option?.value ?? undefined;

// Modal input is untrusted: only values from our own option lists pass.
const OverrideSchema = z.object({
  intent: z.enum(INTENTS).optional(),
  route: z.enum(ASSIGNEES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  owner: z.string().regex(/^[UW][A-Z0-9]{2,}$/).nullable(),
});

/** Reject (reason required) and Edit & approve (override + reason) modals: one handler, by callback id. */
export function register(app: App, ctx: SlackContext): void {
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: new RegExp(`^(${CALLBACK_IDS.reject}|${CALLBACK_IDS.edit})$`) }, async (args) => {
    const values = args.view.state.values;
    const reason = reasonOf(values);
    if (!reason) {
      await args.ack({ response_action: 'errors', errors: { [INPUTS.reason.block]: 'Please give a reason.' } });
      return;
    }
    await args.ack();
    await handle(ctx, args, reason).catch((err: unknown) => ctx.logger.error({ err, callback_id: args.view.callback_id }, 'review modal failed'));
  });
}

async function handle(ctx: SlackContext, { view, body, client }: Args, reason: string): Promise<void> {
  const meta = decodeModalMeta(view.private_metadata);
  if (!meta) return;
  const user = body.user.id;
  // Re-checked at submission: the modal may have been opened before the user lost approver rights.
  if (!(await ctx.approvers.isApprover(user))) return tellUser(client, ctx.logger, meta.channel, user, replies.notApprover());
  const isEdit = view.callback_id === CALLBACK_IDS.edit;
  let override: HumanInput['override'] = null;
  if (isEdit) {
    const v = view.state.values;
    const parsed = OverrideSchema.safeParse({
      intent: selected(v, INPUTS.intent),
      route: selected(v, INPUTS.route),
      priority: selected(v, INPUTS.priority),
      owner: v[INPUTS.owner.block]?.[INPUTS.owner.action]?.selected_user ?? null,
    });
    if (!parsed.success) return tellUser(client, ctx.logger, meta.channel, user, ':warning: That edit had an invalid value; nothing was changed.');
    override = parsed.data;
  }
  const out = resolveReview(ctx, { decisionId: meta.target, kind: isEdit ? 'edit' : 'reject', userId: user, reason: clipText(reason, 3000), override });
  if (out.outcome === 'already_handled') await tellUser(client, ctx.logger, meta.channel, user, replies.alreadyHandled(out.status, out.by, out.at, user));
}
