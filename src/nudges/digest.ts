import { z } from 'zod';
import type { DigestInput } from '../../blocks/dailyDigest.ts';
import { enqueueEffect } from '../outbox/enqueue.ts';
import { isKillSwitchOn } from '../pipeline/kill-switch.ts';
import type { Policy } from '../policy/schema.ts';
import { shadowSummary } from '../policy/shadowSummary.ts';
import { overrideRate } from '../review/overrides.ts';
import { digestFigures } from '../review/stats.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';

const rate = z.number().min(0).max(1).nullable();
const minutes = z.number().nullable();
const count = z.number().int().min(0);

/** What the digest effect carries: the figures as computed when it was queued, so a retry posts the same numbers. */
export const DigestPayloadSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  channel: z.string().min(1),
  figures: z.object({
    label: z.string(), volume: count, automatic_rate: rate, review_rate: rate,
    median_first_touch_minutes: minutes, median_claim_minutes: minutes,
    window_start: z.string(), window_end: z.string(),
    pending_reviews: count, oldest_pending_minutes: minutes, dead_effects: count, dead_jobs: count,
    classifier_cost_usd: z.number().min(0), paused: z.boolean(),
    // Absent from digests queued before they existed, and when there is nothing to say.
    shadow: z.object({ hash: z.string(), decided: count, disagreements: count, top_rules: z.array(z.object({ rule: z.string(), count })) }).optional(),
    overrides: z.object({ reviews: count, overrides: count }).optional(),
  }) satisfies z.ZodType<DigestInput>,
});
export type DigestPayload = z.infer<typeof DigestPayloadSchema>;

const DAY = 86_400_000;

/** The shadow candidate over the digest's 24 h (when it decided any lead) and the override rate over 7 days (when anyone reviewed). */
function policyFigures(db: Db, now: number): Pick<DigestInput, 'shadow' | 'overrides'> {
  const s = shadowSummary(db, DAY, now);
  const o = overrideRate(db, 7 * DAY, now);
  return {
    ...(s.hash ? { shadow: { hash: s.hash, decided: s.decided, disagreements: s.disagreements, top_rules: s.top_rules } } : {}),
    ...(o.reviews ? { overrides: { reviews: o.reviews, overrides: o.overrides } } : {}),
  };
}

/** The digest belongs to no lead; the outbox's lead and decision columns are NOT NULL, so they hold ''. */
export const NO_LEAD = '';

/**
 * Queues the day's digest with the last 24 h figures. One per UTC day (dedupe key on the date)
 * however often the schedule fires; false when disabled or already queued today.
 */
export function queueDailyDigest(db: Db, audit: AuditLog, policy: Policy, now = Date.now()): boolean {
  if (!policy.digest.enabled) return false;
  const date = new Date(now).toISOString().slice(0, 10);
  const correlationId = `digest-${date}`;
  return db.transaction(() => {
    const payload: DigestPayload = {
      date,
      channel: policy.digest.channel ?? policy.routing.review_channel,
      figures: { ...digestFigures(db, isKillSwitchOn(db, policy), now), ...policyFigures(db, now) },
    };
    const queued = enqueueEffect(db, {
      lead_id: NO_LEAD, decision_id: NO_LEAD, kind: 'slack_daily_digest', dedupe_key: `slack_daily_digest:${date}`, payload, correlation_id: correlationId,
    }, now);
    if (queued) audit.record({ lead_id: null, correlation_id: correlationId, stage: 'digest', event: 'digest_queued', output: payload });
    return queued;
  })();
}
