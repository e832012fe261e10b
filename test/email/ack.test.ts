import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SmtpFake } from '../fakes/smtp.ts';
import { createEmailEffectHandler } from '../../src/email/effect.ts';
import { assigneeVariables, renderTemplate, safeFirstName, loadTemplate } from '../../src/email/template.ts';
import { createDispatcher } from '../../src/outbox/dispatcher.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { lead, outboxRows, policy, seed } from '../outbox/seed.ts';

let smtp: SmtpFake;
let smtpUrl: string;
beforeEach(async () => {
  smtp = new SmtpFake();
  smtpUrl = await smtp.start();
});
afterEach(async () => smtp.stop());

const fast = { initialDelayMs: 1, maxDelayMs: 5 };

function run(s: ReturnType<typeof seed>, url: string | undefined) {
  const handlers = { email_ack: createEmailEffectHandler({ db: s.db, policy, logger: silentLogger(), config: { smtpUrl: url } }) };
  return createDispatcher({ db: s.db, audit: s.audit, logger: silentLogger(), handlers, backoff: fast });
}

describe('acknowledgement email', () => {
  it('sends one plain-text email from the repo template over SMTP, with List-Unsubscribe', async () => {
    const s = seed(['send_ack_email'], { lead: lead({ name: 'Jane <b>Doe</b> http://evil.example' }) });
    const d = run(s, smtpUrl);
    await d.runOnce();
    expect(outboxRows(s.db)[0]).toMatchObject({ status: 'done' });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['jane@acme-corp.com']);
    expect(mail.from).toBe('hello@acme-analytics.example');
    expect(mail.raw).toMatch(/^List-Unsubscribe: <mailto:hello@acme-analytics\.example\?subject=unsubscribe>/m);
    expect(mail.raw).toMatch(/^Content-Type: text\/plain/m);
    expect(mail.raw).not.toMatch(/text\/html/);
    expect(mail.raw).toContain('Subject: Thanks for contacting Acme Analytics');
    expect(mail.raw).toContain('Hi Jane,');
    expect(mail.raw).not.toContain('evil');
    // a second pass (duplicate delivery, re-run) sends nothing more
    s.db.prepare("UPDATE outbox SET status = 'pending'").run();
    await d.runOnce();
    expect(smtp.received).toHaveLength(1);
  });

  it('records locally and says so when SMTP_URL is not set', async () => {
    const s = seed(['send_ack_email']);
    await run(s, undefined).runOnce();
    const row = s.db.prepare('SELECT transport, status, subject, text_body FROM email_messages').get() as Record<string, string>;
    expect(row).toMatchObject({ transport: 'recorded', status: 'recorded', subject: 'Thanks for contacting Acme Analytics' });
    expect(row['text_body']).toContain('Hi Jane,');
    expect(smtp.received).toHaveLength(0);
  });

  it('retries a 4xx SMTP reply and dead-letters a 5xx', async () => {
    const s = seed(['send_ack_email']);
    smtp.rejectNext(451, 'try later');
    const d = run(s, smtpUrl);
    await d.runOnce();
    expect(outboxRows(s.db)[0]).toMatchObject({ status: 'pending' });
    await new Promise((r) => setTimeout(r, 20));
    await d.runOnce();
    expect(outboxRows(s.db)[0]).toMatchObject({ status: 'done', attempts: 2 });
    expect(smtp.received).toHaveLength(1);

    const s2 = seed(['send_ack_email'], { lead: lead({ email: 'bob@other.io' }) });
    smtp.rejectNext(550, 'no such user');
    await run(s2, smtpUrl).runOnce();
    expect(outboxRows(s2.db)[0]).toMatchObject({ status: 'dead' });
    expect(outboxRows(s2.db)[0]!.last_error).toMatch(/550/);
  });

  it('never mails when the executed actions lack send_ack_email', async () => {
    const s = seed(['send_ack_email']);
    const row = s.db.prepare('SELECT decision_json FROM decisions').pluck().get() as string;
    s.db.prepare('UPDATE decisions SET decision_json = ?').run(JSON.stringify({ ...JSON.parse(row), actions: [] }));
    await run(s, smtpUrl).runOnce();
    expect(outboxRows(s.db)[0]!.result_json).toContain('skipped');
    expect(smtp.received).toHaveLength(0);
  });

  it('keeps only a safe first name and refuses unknown placeholders', () => {
    expect(safeFirstName('  José-María García ')).toBe('José-María');
    expect(safeFirstName('<!channel> @here')).toBe('channel');
    expect(safeFirstName('Ann\r\nBcc: x@y.z')).toBe('Ann');
    expect(safeFirstName('https://x.io/a?b')).toBe('there');
    expect(safeFirstName('www.evil.example Bob')).toBe('Bob');
    expect(safeFirstName(null)).toBe('there');
    expect(safeFirstName('1234')).toBe('there');
    expect(safeFirstName('A'.repeat(100))).toHaveLength(40);
    const t = loadTemplate('data/templates/email', 'ack-default');
    expect(() => renderTemplate({ ...t, body: 'Hi {{secret}}' }, { first_name: 'x', company: 'y', ...assigneeVariables(null) })).toThrow(/unknown placeholder/);
  });

  it('offers the owner\'s booking link when the owner has one, and leaves no gap when not', () => {
    const t = loadTemplate('data/templates/email', 'ack-default');
    const withLink = renderTemplate(t, { first_name: 'Jane', company: 'Acme', ...assigneeVariables({ name: 'Ana', booking_url: 'https://cal.example.com/ana' }) });
    expect(withLink.text).toContain('\n\nYou can book a time with Ana directly: https://cal.example.com/ana\n\n');
    for (const person of [null, { name: 'Ben' }]) {
      const plain = renderTemplate(t, { first_name: 'Jane', company: 'Acme', ...assigneeVariables(person) });
      expect(plain.text).not.toMatch(/book a time|\n{3,}/);
    }
  });
});
