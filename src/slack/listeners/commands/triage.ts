import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.ts';
import { replies } from '../../replies.ts';
import { parseTriage } from '../../triageParse.ts';
import { runTriage } from '../../triageRun.ts';

/** /triage: ack at once, then answer through the command's response_url (ephemeral). */
export function register(app: App, ctx: SlackContext): void {
  app.command('/triage', async ({ ack, command, respond }) => {
    await ack();
    try {
      const reply = await runTriage(ctx, parseTriage(command.text ?? ''), command.user_id);
      await respond({ response_type: 'ephemeral', text: reply.text, blocks: reply.blocks as never });
    } catch (err) {
      ctx.logger.error({ err, user: command.user_id }, '/triage failed');
      await respond({ response_type: 'ephemeral', text: replies.error(err) }).catch(() => undefined);
    }
  });
}
