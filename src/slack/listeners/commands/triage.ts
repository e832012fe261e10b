import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.ts';
import { replies } from '../../replies.ts';
import { parseTriage } from '../../triageParse.ts';
import { runTriage } from '../../triageRun.ts';
import { openEraseModal } from './erase.ts';

/** /triage: ack at once, then answer through the command's response_url (ephemeral). */
export function register(app: App, ctx: SlackContext): void {
  app.command('/triage', async ({ ack, command, respond, client }) => {
    await ack();
    try {
      const parsed = parseTriage(command.text ?? '');
      if (parsed.cmd === 'erase') {
        const refusal = await openEraseModal(ctx, client, { target: parsed.target, userId: command.user_id, triggerId: command.trigger_id, channel: command.channel_id });
        if (refusal) await respond({ response_type: 'ephemeral', text: refusal });
        return;
      }
      const reply = await runTriage(ctx, parsed, command.user_id);
      await respond({ response_type: 'ephemeral', text: reply.text, blocks: reply.blocks as never });
    } catch (err) {
      ctx.logger.error({ err, user: command.user_id }, '/triage failed');
      await respond({ response_type: 'ephemeral', text: replies.error(err) }).catch(() => undefined);
    }
  });
}
