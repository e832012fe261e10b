import { z } from 'zod';
import { enqueueEffect } from '../outbox/enqueue.ts';
import type { Db } from '../store/db.ts';
import { NO_LEAD } from './digest.ts';

/** A one-off message to a channel about the bot itself (a policy reload, a spent budget): our own words, never a lead's. */
export const NoticePayloadSchema = z.object({ channel: z.string().min(1), text: z.string().min(1).max(3000) });
export type NoticePayload = z.infer<typeof NoticePayloadSchema>;

/** Queues the notice once per dedupe key (a second call with the same key is a no-op); true when queued now. */
export function queueNotice(db: Db, notice: NoticePayload & { dedupeKey: string; correlationId: string }, now = Date.now()): boolean {
  return enqueueEffect(db, {
    lead_id: NO_LEAD, decision_id: NO_LEAD, kind: 'slack_notice', dedupe_key: `slack_notice:${notice.dedupeKey}`,
    payload: { channel: notice.channel, text: notice.text }, correlation_id: notice.correlationId,
  }, now);
}
