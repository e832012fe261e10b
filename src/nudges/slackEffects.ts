import { dailyDigest } from '../../blocks/dailyDigest.ts';
import { firstTouchNudge } from '../../blocks/firstTouchNudge.ts';
import { PermanentError } from '../core/upstream.ts';
import type { EffectHandler } from '../outbox/types.ts';
import { isKillSwitchOn } from '../pipeline/kill-switch.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import type { Notifier } from '../slack/notifier.ts';
import type { InflightLedger } from '../outbox/inflight.ts';
import { postOnce } from '../slack/postOnce.ts';
import type { Db } from '../store/db.ts';
import type { LeadStore } from '../store/leads.ts';
import { DigestPayloadSchema } from './digest.ts';
import { unclaimedLead, waitedMinutes } from './firstTouch.ts';

export interface NudgeEffectDeps {
  db: Db;
  leads: LeadStore;
  loaded: LoadedPolicy;
  notifier: Notifier;
  ledger: InflightLedger;
}

export type NudgeEffectKind = 'slack_first_touch_nudge' | 'slack_daily_digest';

/** Outbox handlers for the scheduled Slack posts: the first-touch nudge (in the lead card's thread) and the daily digest. */
export function createNudgeEffects(deps: NudgeEffectDeps): Record<NudgeEffectKind, EffectHandler> {
  const { db, leads, loaded, notifier, ledger } = deps;
  return {
    slack_first_touch_nudge: async (effect) => {
      const p = loaded.policy;
      // Queued before the pause or before someone took the lead: nobody needs nudging any more.
      if (isKillSwitchOn(db, p)) return { skipped: 'kill switch is on' };
      const lead = unclaimedLead(db, effect.lead_id);
      if (!lead) return { skipped: 'lead claimed, touched or no longer routed' };
      const record = leads.get(effect.lead_id);
      const queued = Number(effect.payload.waited_minutes);
      const message = firstTouchNudge({
        leadId: effect.lead_id,
        who: [record?.lead.name, record?.lead.company ? `(${record.lead.company})` : null].filter(Boolean).join(' ') || record?.lead.email || effect.lead_id,
        waitedMinutes: Math.max(Number.isFinite(queued) ? queued : 0, waitedMinutes(lead.created_at, Date.now())),
        slaMinutes: p.sla.first_touch_minutes,
        queue: lead.queue,
        owners: p.routing.queues[lead.queue]?.owners ?? [],
      });
      const posted = await postOnce(ledger, notifier, { channel: lead.channel, message, threadTs: lead.ts, key: effect.dedupe_key, leadId: effect.lead_id });
      return { channel: posted.channel, ts: posted.ts, thread_ts: lead.ts, mode: notifier.mode };
    },
    slack_daily_digest: async (effect) => {
      const parsed = DigestPayloadSchema.safeParse(effect.payload);
      if (!parsed.success) throw new PermanentError('slack_daily_digest: stored payload is invalid');
      const { date, channel, figures } = parsed.data;
      const posted = await postOnce(ledger, notifier, { channel, message: dailyDigest(date, figures), key: effect.dedupe_key, leadId: null });
      return { channel: posted.channel, ts: posted.ts, date, mode: notifier.mode };
    },
  };
}
