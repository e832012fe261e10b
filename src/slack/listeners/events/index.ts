import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.ts';
import * as appHome from './appHome.ts';

export function register(app: App, ctx: SlackContext): void {
  appHome.register(app, ctx);
}
