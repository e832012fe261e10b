import { createDispatcher } from '../../src/outbox/dispatcher.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { mrkdwnTexts } from '../helpers/slack-text.ts';
import type { Harness } from '../slack/harness.ts';

/** Runs the real outbox dispatcher over the Slack handlers until nothing it can run is left. */
export async function dispatchSlack(h: Harness): Promise<number> {
  const dispatcher = createDispatcher({ db: h.db, audit: h.audit, logger: silentLogger(), handlers: h.slack.effectHandlers, backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
  let total = 0;
  for (let ran = await dispatcher.runOnce(); ran > 0; ran = await dispatcher.runOnce()) total += ran;
  return total;
}

/** Everything Slack parses in a posted message: the fallback text and every mrkdwn field. */
export function parsedText(body: Record<string, unknown>): string {
  return [String(body.text), ...mrkdwnTexts(body.blocks)].join('\n');
}

/** Every user mention Slack would notify for (`<@U…>`, `<@U…|name>`), plus broadcast and group mentions. */
export function mentionsIn(text: string): string[] {
  return [...text.matchAll(/<(@[UW][A-Z0-9]+|!channel|!here|!everyone|!subteam\^[A-Z0-9]+)(\|[^>]*)?>/g)].map((m) => m[1]!);
}

export const MINUTE = 60_000;

/** Moves a lead's arrival into the past (instead of waiting on the clock). */
export function ageLead(h: Harness, leadId: string, minutes: number, now = Date.now()): void {
  h.db.prepare('UPDATE leads SET created_at = ? WHERE id = ?').run(new Date(now - minutes * MINUTE).toISOString(), leadId);
}
