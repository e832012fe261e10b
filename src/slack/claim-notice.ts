import type { webApi } from '@slack/bolt';
import { escapeMrkdwn, safeMrkdwn } from '../../blocks/escape.ts';
import type { ClaimNotifier } from '../outbox/crm-effects.ts';
import type { Logger } from '../observability/logger.ts';
import type { Db } from '../store/db.ts';
import { AuditLog } from '../store/audit.ts';
import { LeadStore } from '../store/leads.ts';
import { tellUser } from './ephemeral.ts';
import { cardPlace } from './cardPlace.ts';

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

/**
 * Tells the person who clicked "Take this lead" (or Reassign) and the new owner what the CRM did
 * with the claim, as an ephemeral in the card's channel, where they clicked. The clicker is the
 * claim's audit actor; a failure to tell is logged, never thrown.
 */
export function claimNotifier(db: Db, client: webApi.WebClient, logger: Logger): ClaimNotifier {
  const leads = new LeadStore(db);
  const audit = new AuditLog(db);
  return async ({ leadId, slackUserId, text }) => {
    const channel = cardPlace(db, leadId)?.channel;
    const actor = audit.trail(leadId).reverse()
      .find((r) => (r.event === 'lead_claimed' || r.event === 'lead_reassigned') && r.output_json && (JSON.parse(r.output_json) as { owner?: unknown }).owner === slackUserId)?.actor;
    const lead = leads.get(leadId)?.lead;
    const who = safeMrkdwn(lead?.name || lead?.email || leadId, 80);
    const users = [...new Set([actor, slackUserId].filter((u): u is string => typeof u === 'string' && SLACK_USER.test(u)))];
    for (const user of users) await tellUser(client, logger, channel, user, `${who}: ${escapeMrkdwn(text)}`);
  };
}
