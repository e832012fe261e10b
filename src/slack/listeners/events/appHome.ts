import type { App } from '@slack/bolt';
import { homeView } from '../../../../blocks/summaries.ts';
import { claimedBy, pendingReviews } from '../../../review/queue.ts';
import { isKillSwitchOn } from '../../../pipeline/kill-switch.ts';
import { todayStats } from '../../../review/stats.ts';
import type { SlackContext } from '../../context.ts';

/** App Home: pending reviews, the viewer's claimed leads, today's figures. */
export function register(app: App, ctx: SlackContext): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      const view = homeView({
        pending: pendingReviews(ctx.db, 10),
        claimed: claimedBy(ctx.db, event.user, 10),
        today: todayStats(ctx.db),
        paused: isKillSwitchOn(ctx.db, ctx.loaded.policy),
        userId: event.user,
      });
      await client.views.publish({ user_id: event.user, view: view as never });
    } catch (err) {
      ctx.logger.error({ err, user: event.user }, 'app home publish failed');
    }
  });
}
