import type { App } from '@slack/bolt';
import { acceptAs } from '../../../review/act.ts';
import type { SlackContext } from '../../context.ts';

interface ThreadMessage { user?: string; thread_ts?: string; ts?: string; channel?: string; subtype?: string; bot_id?: string }

/**
 * The assignee's reply in a lead card's thread is their first touch: it stops the SLA ladder like Accept.
 * Needs the message.channels / message.groups events (scopes channels:history, groups:history).
 */
export function register(app: App, ctx: SlackContext): void {
  const cardAt = ctx.db.prepare("SELECT lead_id FROM slack_cards WHERE channel = ? AND ts = ? AND card = 'lead'").pluck();
  app.event('message', async ({ event }) => {
    const m = event as ThreadMessage;
    if (m.subtype || m.bot_id || !m.user || !m.thread_ts || m.thread_ts === m.ts || !m.channel) return;
    const leadId = cardAt.get(m.channel, m.thread_ts) as string | undefined;
    if (!leadId) return;
    try {
      acceptAs(ctx, leadId, m.user, 'thread reply');
    } catch (err) {
      ctx.logger.error({ err, lead_id: leadId }, 'thread reply could not be recorded as a first touch');
    }
  });
}
