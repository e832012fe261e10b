import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.ts';
import * as leadButtons from './leadButtons.ts';
import * as refreshButtons from './refreshButtons.ts';
import * as reviewButtons from './reviewButtons.ts';

export function register(app: App, ctx: SlackContext): void {
  reviewButtons.register(app, ctx);
  leadButtons.register(app, ctx);
  refreshButtons.register(app, ctx);
}
