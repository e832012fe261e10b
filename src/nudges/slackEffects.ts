import { dailyDigest } from '../../blocks/dailyDigest.ts';
import { PermanentError } from '../core/upstream.ts';
import type { EffectHandler } from '../outbox/types.ts';
import type { Notifier } from '../slack/notifier.ts';
import type { InflightLedger } from '../outbox/inflight.ts';
import { postOnce } from '../slack/postOnce.ts';
import { DigestPayloadSchema } from './digest.ts';
import { NoticePayloadSchema } from './notice.ts';

export interface NudgeEffectDeps {
  notifier: Notifier;
  ledger: InflightLedger;
}

export type NudgeEffectKind = 'slack_first_touch_nudge' | 'slack_daily_digest' | 'slack_notice';

/** Outbox handler for the daily digest. */
export function createNudgeEffects(deps: NudgeEffectDeps): Record<NudgeEffectKind, EffectHandler> {
  const { notifier, ledger } = deps;
  return {
    // Queued by releases before the SLA ladder took over first-touch reminders; the ladder reminds instead.
    slack_first_touch_nudge: async () => ({ skipped: 'first-touch reminders are the SLA ladder\'s first step now' }),
    slack_daily_digest: async (effect) => {
      const parsed = DigestPayloadSchema.safeParse(effect.payload);
      if (!parsed.success) throw new PermanentError('slack_daily_digest: stored payload is invalid');
      const { date, channel, figures } = parsed.data;
      const posted = await postOnce(ledger, notifier, { channel, message: dailyDigest(date, figures), key: effect.dedupe_key, leadId: null });
      return { channel: posted.channel, ts: posted.ts, date, mode: notifier.mode };
    },
    slack_notice: async (effect) => {
      const parsed = NoticePayloadSchema.safeParse(effect.payload);
      if (!parsed.success) throw new PermanentError('slack_notice: stored payload is invalid');
      const { channel, text } = parsed.data;
      const message = { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
      const posted = await postOnce(ledger, notifier, { channel, message, key: effect.dedupe_key, leadId: null });
      return { channel: posted.channel, ts: posted.ts, mode: notifier.mode };
    },
  };
}
