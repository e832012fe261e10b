import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.ts';
import * as triage from './triage.ts';

export function register(app: App, ctx: SlackContext): void {
  triage.register(app, ctx);
}
