import { z } from 'zod';
import { erasedCard } from '../../blocks/erasedCard.ts';
import { PermanentError } from '../core/upstream.ts';
import type { EffectHandler } from '../outbox/types.ts';
import type { Notifier } from './notifier.ts';
import { slackErrorCode } from './slackErrors.ts';

const Payload = z.object({
  why: z.enum(['request', 'retention']),
  on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  places: z.array(z.object({ channel: z.string().min(1), ts: z.string().min(1) })).max(500),
});

/** Slack's answers that mean the message is already gone (deleted, or the channel with it): nothing left to redact. */
const GONE = new Set(['message_not_found', 'channel_not_found', 'is_archived', 'cant_update_message', 'not_in_channel']);

/** slack_redact: each message posted about an erased lead is replaced in place by the erased card. */
export function createErasureEffects(deps: { notifier: Notifier }): Record<'slack_redact', EffectHandler> {
  return {
    slack_redact: async (effect) => {
      const p = Payload.safeParse(effect.payload);
      if (!p.success) throw new PermanentError('slack_redact: payload is invalid');
      const message = erasedCard({ leadId: effect.lead_id, why: p.data.why, on: p.data.on });
      let gone = 0;
      for (const place of p.data.places) {
        try {
          await deps.notifier.update(place.channel, place.ts, message);
        } catch (err) {
          if (!GONE.has(slackErrorCode((err as Error).cause ?? err) ?? '')) throw err;
          gone++;
        }
      }
      return { redacted: p.data.places.length - gone, gone, mode: deps.notifier.mode };
    },
  };
}
