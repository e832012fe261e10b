import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.ts';
import * as appHome from './appHome.ts';
import * as threadReply from './threadReply.ts';

export function register(app: App, ctx: SlackContext): void {
  appHome.register(app, ctx);
  threadReply.register(app, ctx);
}
