import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { CALLBACK_IDS, INPUTS, decodeModalMeta } from '../../../../blocks/codec.ts';
import { settleReview } from '../../../review/act.ts';
import type { SlackContext } from '../../context.ts';
import { tellUser } from '../../ephemeral.ts';
import { replies } from '../../replies.ts';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type Values = ViewSubmitAction['view']['state']['values'];

const reasonOf = (v: Values) => v[INPUTS.reason.block]?.[INPUTS.reason.action]?.value?.trim() ?? '';
const selected = (v: Values, b: { block: string; action: string }) => v[b.block]?.[b.action]?.selected_option?.value ?? undefined;

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
  const kind = view.callback_id === CALLBACK_IDS.edit ? 'edit' : 'reject';
  const v = view.state.values;
  const edit = kind === 'edit'
    ? { intent: selected(v, INPUTS.intent), route: selected(v, INPUTS.route), priority: selected(v, INPUTS.priority), owner: v[INPUTS.owner.block]?.[INPUTS.owner.action]?.selected_user ?? null }
    : undefined;
  const reply = replies.settled(await settleReview(ctx, { decisionId: meta.target, kind, userId: user, reason, edit }), user);
  if (reply) await tellUser(client, ctx.logger, meta.channel, user, reply);
}
