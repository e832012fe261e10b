import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.ts';
import * as reassignSubmit from './reassignSubmit.ts';
import * as reviewSubmit from './reviewSubmit.ts';
import * as eraseSubmit from './eraseSubmit.ts';

export function register(app: App, ctx: SlackContext): void {
  reviewSubmit.register(app, ctx);
  reassignSubmit.register(app, ctx);
  eraseSubmit.register(app, ctx);
}
