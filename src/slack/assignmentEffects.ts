import { assigneeDm, routingAlert, slaEscalation, slaReminder, type LadderNotice } from '../../blocks/assignment.ts';
import { firstTouchNudge } from '../../blocks/firstTouchNudge.ts';
import { formatDuration } from '../core/duration.ts';
import type { OutboxEffect } from '../core/effects.ts';
import { PermanentError } from '../core/upstream.ts';
import type { EffectHandler } from '../outbox/types.ts';
import type { InflightLedger } from '../outbox/inflight.ts';
import { isKillSwitchOn } from '../pipeline/kill-switch.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import type { QueueName } from '../policy/schema.ts';
import { ladderOf } from '../sla/ladder.ts';
import { durationMs } from '../policy/fields.ts';
import { currentAssignment, type AssignmentRow } from '../routing/ledger.ts';
import type { Db } from '../store/db.ts';
import type { LeadStore } from '../store/leads.ts';
import type { Notifier } from './notifier.ts';
import { postOnce } from './postOnce.ts';
import { leadWho, loadCardState } from './presenters/cardState.ts';

export interface AssignmentEffectDeps {
  db: Db;
  leads: LeadStore;
  loaded: LoadedPolicy;
  notifier: Notifier;
  ledger: InflightLedger;
}

export type AssignmentEffectKind = 'slack_assignee_dm' | 'slack_routing_alert' | 'slack_sla_remind' | 'slack_sla_escalate';

interface CardRow { channel: string; ts: string }

/** Direct messages and ladder posts about who owns a lead. Each checks, at send time, that its assignment still stands. */
export function createAssignmentEffects(deps: AssignmentEffectDeps): Record<AssignmentEffectKind, EffectHandler> {
  const { db, leads, loaded, notifier, ledger } = deps;
  const assignmentOf = (effect: OutboxEffect): AssignmentRow => {
    const id = Number(effect.payload.assignment_id);
    const row = db.prepare('SELECT * FROM assignments WHERE id = ? AND lead_id = ?').get(id, effect.lead_id) as AssignmentRow | undefined;
    if (!row) throw new PermanentError(`${effect.kind}: assignment ${String(effect.payload.assignment_id)} not found`);
    return row;
  };
  const stateOf = (leadId: string) => {
    const s = loadCardState(db, leads, leadId, 'lead');
    if (!s) throw new PermanentError(`lead ${leadId} has no decision to show`);
    return s;
  };
  const card = (leadId: string) => db.prepare("SELECT channel, ts FROM slack_cards WHERE lead_id = ? AND card = 'lead'").get(leadId) as CardRow | undefined;
  const dm = async (user: string, effect: OutboxEffect, message: Parameters<Notifier['post']>[0]['message'], suffix = '') =>
    postOnce(ledger, notifier, { channel: await notifier.openDm(user), message, key: `${effect.dedupe_key}${suffix}`, leadId: effect.lead_id });
  const stillWaiting = (a: AssignmentRow) => a.ended_at === null && a.accepted_at === null && !isKillSwitchOn(db, loaded.policy);
  const notice = (a: AssignmentRow, effect: OutboxEffect, mentionUser: string): LadderNotice => {
    return { leadId: a.lead_id, who: leadWho(leads.get(a.lead_id)?.lead, a.lead_id), mentionUser, waited: String(effect.payload.waited ?? ''), assignee: a.user_id };
  };

  return {
    slack_assignee_dm: async (effect) => {
      const a = assignmentOf(effect);
      if (!a.user_id || a.ended_at !== null) return { skipped: 'the lead has moved on since' };
      const queue = loaded.policy.routing.queues[a.queue as QueueName];
      const first = queue ? ladderOf(queue, loaded.policy.sla.first_touch_minutes)[0] : undefined;
      const posted = await dm(a.user_id, effect, assigneeDm(stateOf(a.lead_id), first ? formatDuration(durationMs(first.after)) : null));
      return { channel: posted.channel, ts: posted.ts, mode: notifier.mode };
    },
    slack_routing_alert: async (effect) => {
      const a = assignmentOf(effect);
      const manager = (JSON.parse(a.detail_json) as { alert?: string | null }).alert;
      if (!manager) return { skipped: 'no manager to alert' };
      const posted = await dm(manager, effect, routingAlert(stateOf(a.lead_id), manager));
      return { channel: posted.channel, ts: posted.ts, mode: notifier.mode };
    },
    slack_sla_remind: async (effect) => {
      const a = assignmentOf(effect);
      if (!stillWaiting(a)) return { skipped: 'accepted, moved on or paused since' };
      const where = card(a.lead_id);
      if (!a.user_id) {
        if (!where) return { skipped: 'no card to remind in' };
        const queue = loaded.policy.routing.queues[a.queue as QueueName];
        const n = notice(a, effect, '');
        const message = firstTouchNudge({ leadId: a.lead_id, who: n.who, waited: n.waited, queue: a.queue, owners: queue?.owners ?? [] });
        const posted = await postOnce(ledger, notifier, { channel: where.channel, threadTs: where.ts, message, key: effect.dedupe_key, leadId: a.lead_id });
        return { channel: posted.channel, ts: posted.ts, thread_ts: where.ts, mode: notifier.mode };
      }
      const message = slaReminder(notice(a, effect, a.user_id));
      const direct = await dm(a.user_id, effect, message, ':dm');
      const thread = where ? await postOnce(ledger, notifier, { channel: where.channel, threadTs: where.ts, message, key: `${effect.dedupe_key}:thread`, leadId: a.lead_id }) : null;
      return { dm: direct.channel, thread_ts: where?.ts ?? null, reply_ts: thread?.ts ?? null, mode: notifier.mode };
    },
    slack_sla_escalate: async (effect) => {
      assignmentOf(effect);
      // The lead's wait is what escalates, whoever holds it now (a reassign may have fired in the same sweep).
      const a = currentAssignment(db, effect.lead_id);
      if (!a || !stillWaiting(a)) return { skipped: 'accepted or paused since' };
      const queue = loaded.policy.routing.queues[a.queue as QueueName];
      const pool = a.pool ?? queue?.pool;
      const manager = pool ? loaded.policy.pools[pool]?.manager : undefined;
      const message = slaEscalation(notice(a, effect, manager ?? ''));
      const direct = manager ? await dm(manager, effect, message, ':dm') : null;
      const channel = queue?.channel ?? loaded.policy.routing.review_channel;
      const posted = await postOnce(ledger, notifier, { channel, message, key: `${effect.dedupe_key}:channel`, leadId: a.lead_id });
      return { dm: direct?.channel ?? null, channel: posted.channel, ts: posted.ts, mode: notifier.mode };
    },
  };
}
