import { leadCard } from '../../blocks/leadCard.ts';
import { reviewCard } from '../../blocks/reviewCard.ts';
import { reviewReminder } from '../../blocks/reviewReminder.ts';
import type { SlackMessage } from '../../blocks/model.ts';
import type { EffectHandler } from '../outbox/types.ts';
import { PermanentError } from '../core/upstream.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import type { Db } from '../store/db.ts';
import type { LeadStore } from '../store/leads.ts';
import type { Notifier } from './notifier.ts';
import type { InflightLedger } from '../outbox/inflight.ts';
import { postOnce } from './postOnce.ts';
import { slackErrorCode } from './slackErrors.ts';
import { channelRef } from '../../blocks/escape.ts';
import { leadWho, loadCardState, type CardKind } from './presenters/cardState.ts';

export interface CardEffectDeps {
  db: Db;
  leads: LeadStore;
  loaded: LoadedPolicy;
  notifier: Notifier;
  ledger: InflightLedger;
}

interface CardRow { channel: string; ts: string; card: CardKind }

const UNREACHABLE_CHANNEL = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

const RENDER: Record<CardKind, typeof leadCard> = { lead: leadCard, review: reviewCard };

/**
 * Outbox handlers for Slack cards. Each renders the lead's current state from the store, so a
 * retried or reordered effect always shows what was committed. A card that exists is updated in
 * place; only a lead without that card gets a new message.
 */
export type CardEffectKind = 'slack_lead_card' | 'slack_review_card' | 'slack_update_card' | 'slack_review_reminder';

export function createCardEffects(deps: CardEffectDeps): Record<CardEffectKind, EffectHandler> {
  const { db, leads, loaded, notifier, ledger } = deps;
  const findCard = db.prepare('SELECT channel, ts, card FROM slack_cards WHERE lead_id = ? AND card = ?');

  function render(leadId: string, card: CardKind): SlackMessage {
    const state = loadCardState(db, leads, leadId, card);
    if (!state) throw new PermanentError(`lead ${leadId} has no decision to show`);
    return RENDER[card](state);
  }

  async function upsertCard(effect: Parameters<EffectHandler>[0], card: CardKind, channelFor: () => string) {
    const message = render(effect.lead_id, card);
    const existing = findCard.get(effect.lead_id, card) as CardRow | undefined;
    const now = new Date().toISOString();
    if (existing) {
      await notifier.update(existing.channel, existing.ts, message);
      db.prepare('UPDATE slack_cards SET decision_id = ?, updated_at = ? WHERE lead_id = ? AND card = ?').run(effect.decision_id, now, effect.lead_id, card);
      return { card, channel: existing.channel, ts: existing.ts, action: 'updated', mode: notifier.mode };
    }
    const channel = channelFor();
    const posted = await postOnce(ledger, notifier, { channel, message, key: effect.dedupe_key, leadId: effect.lead_id }).catch((err: unknown) => {
      // A queue channel the bot cannot post in must not hide the lead: its card goes to the review channel, saying why.
      const code = slackErrorCode((err as Error).cause);
      const review = loaded.policy.routing.review_channel;
      if (card !== 'lead' || !code || !UNREACHABLE_CHANNEL.has(code) || channel === review) throw err;
      const warning = { type: 'section', text: { type: 'mrkdwn', text: `:warning: Could not post this card in ${channelRef(channel)} (${code}): invite the bot there. Until then it lives here.` } };
      return postOnce(ledger, notifier, { channel: review, message: { ...message, blocks: [warning, ...message.blocks] }, key: `${effect.dedupe_key}:review`, leadId: effect.lead_id });
    });
    db.prepare(`INSERT INTO slack_cards (lead_id, card, channel, ts, decision_id, posted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (lead_id, card) DO NOTHING`).run(effect.lead_id, card, posted.channel, posted.ts, effect.decision_id, now, now);
    return { card, channel: posted.channel, ts: posted.ts, action: 'posted', mode: notifier.mode };
  }

  return {
    slack_lead_card: (effect) =>
      upsertCard(effect, 'lead', () => {
        const route = loadCardState(db, leads, effect.lead_id, 'lead')?.decision.route;
        return route ? loaded.policy.routing.queues[route].channel : loaded.policy.routing.review_channel;
      }),
    slack_review_card: (effect) => upsertCard(effect, 'review', () => loaded.policy.routing.review_channel),
    slack_update_card: async (effect) => {
      const cards = db.prepare('SELECT channel, ts, card FROM slack_cards WHERE lead_id = ? ORDER BY card').all(effect.lead_id) as CardRow[];
      for (const c of cards) await notifier.update(c.channel, c.ts, render(effect.lead_id, c.card));
      db.prepare('UPDATE slack_cards SET updated_at = ? WHERE lead_id = ?').run(new Date().toISOString(), effect.lead_id);
      return { updated: cards.map((c) => c.card), mode: notifier.mode };
    },
    slack_review_reminder: async (effect) => {
      const pending = db.prepare("SELECT created_at FROM decisions WHERE id = ? AND status = 'pending_review'").pluck().get(effect.decision_id) as string | undefined;
      // Handled between queueing and sending: nobody needs nudging any more.
      if (!pending) return { skipped: 'review already resolved' };
      const lead = leads.get(effect.lead_id);
      const p = loaded.policy;
      const message = reviewReminder({
        leadId: effect.lead_id,
        who: leadWho(lead?.lead, effect.lead_id),
        waitedMinutes: Math.round((Date.now() - Date.parse(pending)) / 60_000),
        slaMinutes: p.sla.review_minutes,
        approvers: p.approvers.users,
        usergroup: p.approvers.usergroup,
      });
      const card = findCard.get(effect.lead_id, 'review') as CardRow | undefined;
      const posted = await postOnce(ledger, notifier, { channel: card?.channel ?? p.routing.review_channel, message, threadTs: card?.ts, key: effect.dedupe_key, leadId: effect.lead_id });
      return { channel: posted.channel, ts: posted.ts, thread_ts: card?.ts ?? null, mode: notifier.mode };
    },
  };
}
