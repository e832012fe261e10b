import { createHash } from 'node:crypto';
import type { Config } from '../config/env.ts';
import type { OutboxEffect } from '../core/effects.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import type { Db } from '../store/db.ts';
import { nowIso } from '../store/db.ts';
import type { Logger } from '../observability/logger.ts';
import { loadEffectContext } from '../outbox/effect-context.ts';
import type { EffectHandler } from '../outbox/types.ts';
import { assigneeVariables, loadTemplate, renderTemplate, safeFirstName, TEMPLATES_DIR } from './template.ts';
import { currentAssignment } from '../routing/ledger.ts';
import { createSmtpSender, type MailSender } from './smtp.ts';

export interface EmailHandlerDeps {
  db: Db;
  policy: LoadedPolicy;
  logger: Logger;
  /** Uses config.smtpUrl; without it messages are only recorded in `email_messages`. */
  config: Pick<Config, 'smtpUrl'>;
  templatesDir?: string;
  sender?: MailSender;
}

interface MessageRow { status: 'sending' | 'sent' | 'recorded'; message_id: string | null }

/**
 * email_ack: the acknowledgement to the prospect, rendered only from a repo template. The row in
 * `email_messages` (unique per dedupe key) is written before sending, so a retry after success
 * never sends again. SMTP has no idempotency key: if the process dies after the server accepted
 * the message but before we mark it sent, the retry resends with the same Message-ID, which mail
 * clients collapse into one message.
 */
export function createEmailEffectHandler(deps: EmailHandlerDeps): EffectHandler {
  const { db, policy, logger } = deps;
  const template = loadTemplate(deps.templatesDir ?? TEMPLATES_DIR, policy.policy.email.template);
  const sender = deps.sender ?? (deps.config.smtpUrl ? createSmtpSender(deps.config.smtpUrl) : null);
  if (!sender) logger.info('email: SMTP_URL not set; acknowledgement emails are recorded locally in email_messages, not sent');

  return async function emailAck(effect: OutboxEffect) {
    const ctx = loadEffectContext(db, effect);
    const p = policy.policy;
    // Defence in depth: the policy engine decides, but an effect without its executed action never mails anyone.
    if (!ctx.decision.actions.includes('send_ack_email')) return { skipped: 'send_ack_email not in executed actions' };
    if (!p.email.ack_enabled) return { skipped: 'email.ack_enabled is false' };

    const prior = db.prepare('SELECT status, message_id FROM email_messages WHERE dedupe_key = ?').get(effect.dedupe_key) as MessageRow | undefined;
    if (prior && prior.status !== 'sending') return { status: prior.status, message_id: prior.message_id, resent: false };

    const owner = currentAssignment(db, effect.lead_id)?.user_id;
    const { subject, text } = renderTemplate(template, {
      first_name: safeFirstName(ctx.lead.lead.name), company: p.company.name, ...assigneeVariables(owner ? (p.people[owner] ?? null) : null),
    });
    const fromDomain = p.email.from.split('@')[1] ?? 'localhost';
    const messageId = `<ack.${createHash('sha256').update(effect.dedupe_key).digest('hex').slice(0, 24)}@${fromDomain}>`;
    const to = ctx.lead.lead.email;
    if (!prior) {
      db.prepare(`INSERT INTO email_messages (lead_id, dedupe_key, to_address, from_address, subject, text_body, transport, status, message_id, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'sending', ?, ?)`).run(effect.lead_id, effect.dedupe_key, to, p.email.from, subject, text, sender ? 'smtp' : 'recorded', messageId, nowIso());
    }
    if (!sender) {
      db.prepare("UPDATE email_messages SET status = 'recorded' WHERE dedupe_key = ?").run(effect.dedupe_key);
      return { status: 'recorded', message_id: messageId, transport: 'recorded' };
    }
    await sender.send({
      from: p.email.from,
      to,
      subject,
      text,
      messageId,
      headers: { 'List-Unsubscribe': `<mailto:${p.email.from}?subject=unsubscribe>`, 'Auto-Submitted': 'auto-replied' },
    });
    db.prepare("UPDATE email_messages SET status = 'sent' WHERE dedupe_key = ?").run(effect.dedupe_key);
    return { status: 'sent', message_id: messageId, transport: 'smtp' };
  };
}
