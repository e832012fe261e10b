import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { audit as auditCommand } from '../../src/cli/commands/audit.ts';
import { erase } from '../../src/cli/commands/erase.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { runCommand } from '../helpers/command.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

// The person to forget: every piece of them is distinctive, so a stray byte anywhere in the file is found.
const PERSON = {
  name: 'Jörg Quellwasserbrandt',
  email: 'jörg.quellwasser@müller-narwal.example',
  phone: '+49 170 5550199',
  company: 'Müller Narwal GmbH',
};
const PHRASE = 'narwhal telemetry fleet';
const FIRST = {
  event_id: 'fg-1', ...PERSON,
  message: `We need pricing for 40 seats with SSO for our ${PHRASE}; we are evaluating vendors and decide by end of month.`,
};
const SECOND = { event_id: 'fg-2', ...PERSON, message: `Following up on the ${PHRASE} question: can we book a demo next week?` };
const BYSTANDER = {
  event_id: 'fg-3', name: 'Ottilie Zwirnmacher', email: 'ottilie@zwirnmacher-werke.example', company: 'Zwirnmacher Werke',
  message: 'Need pricing for 25 seats and a SOC 2 report, our team evaluates product analytics this quarter.',
};

/** Every spelling of the person a careless store could keep: the address in both domain forms, name, phone, company, words. */
const TRACES = [PERSON.email, 'jörg.quellwasser@xn--mller-narwal-dlb.example', 'Quellwasserbrandt', PERSON.phone, '5550199', 'Müller Narwal', PHRASE];

/** The database file and its WAL, as bytes on disk. */
function storeBytes(dbPath: string): Buffer {
  return Buffer.concat([readFileSync(dbPath), existsSync(`${dbPath}-wal`) ? readFileSync(`${dbPath}-wal`) : Buffer.alloc(0)]);
}
const found = (bytes: Buffer, traces: readonly string[]) => traces.filter((s) => bytes.includes(Buffer.from(s, 'utf8')));

/** The non-personal figures of every audit row: what must survive an erasure unchanged. */
const FIGURES_SQL = `SELECT id, at, lead_id, correlation_id, stage, event, actor, decision, rules, policy_hash, prompt_version, input_hash,
  latency_ms, tokens_in, tokens_out, cache_read_tokens, cache_write_tokens, cost_usd FROM audit_log ORDER BY id`;

describe('erase: a person is forgotten everywhere the app keeps them', () => {
  it('leaves no byte of them in the SQLite file or its WAL, keeps every audit row and its figures, and prints "erased" in the trail', async () => {
    t = await startTestApp();
    const ids = [];
    for (const lead of [FIRST, SECOND, BYSTANDER]) ids.push((await t.deliver('generic', lead)).body.lead_id as string);
    await t.settle();
    const [first, second, bystander] = ids as [string, string, string];
    const db = t.app.db;
    const dbPath = t.env.DATABASE_PATH!;
    // The scan can see them before (in the file or still only in the WAL): leads, the CRM, the recorded card and email.
    expect(found(storeBytes(dbPath), [PERSON.email, PHRASE, 'Quellwasserbrandt'])).toHaveLength(3);
    expect(db.prepare('SELECT COUNT(*) FROM slack_posts WHERE lead_id IN (?, ?)').pluck().get(first, second)).toBeGreaterThan(0);
    const figuresBefore = db.prepare(FIGURES_SQL).all();

    const erased = await runCommand(erase, [PERSON.email.toUpperCase()], t.env);
    expect(erased.err).toEqual([]);
    expect(erased.code).toBe(0);
    expect(erased.out[0]).toMatch(new RegExp(`^erasing 2 leads of this address \\(${first}, ${second}\\); \\d+ Slack messages to redact$`));
    expect(erased.out.at(-1)).toMatch(/^erased 2 leads; the audit log keeps their figures and the address's hash \([0-9a-f]{32}\)$/);
    expect(erased.out.join('\n')).not.toContain('Quellwasser');

    expect(found(storeBytes(dbPath), TRACES)).toEqual([]);
    // The bystander is untouched: the scan that finds nothing of the person finds them.
    expect(found(storeBytes(dbPath), [BYSTANDER.email, 'Zwirnmacher'])).toHaveLength(2);
    expect(t.app.leads.get(bystander)?.lead.email).toBe(BYSTANDER.email);

    // The audit log: the same rows with the same figures, plus one `erased` row per lead naming the address by hash.
    const figuresAfter = db.prepare(FIGURES_SQL).all() as Array<Record<string, unknown>>;
    expect(figuresAfter.slice(0, figuresBefore.length)).toEqual(figuresBefore);
    const added = figuresAfter.slice(figuresBefore.length);
    const erasures = added.filter((r) => r.event === 'erased');
    expect(erasures.map((r) => [r.lead_id, r.stage, r.decision, r.actor])).toEqual([[first, 'privacy', 'request', 'cli'], [second, 'privacy', 'request', 'cli']]);
    expect(new Set(erasures.map((r) => r.input_hash))).toEqual(new Set([expect.stringMatching(/^[0-9a-f]{32}$/)]));
    // The rest is the redaction of their Slack messages going out.
    expect(added.filter((r) => r.event !== 'erased').every((r) => r.stage === 'act' && r.decision === 'slack_redact')).toBe(true);
    const trail = t.app.audit.trail(first);
    expect(trail.filter((r) => r.erased).length).toBeGreaterThan(3);
    expect(trail.filter((r) => r.erased).every((r) => r.reason === 'erased' && r.output_json === null)).toBe(true);
    expect(t.app.audit.trail(bystander).some((r) => r.erased)).toBe(false);
    const printed = await runCommand(auditCommand, [first], t.env);
    expect(printed.out.join('\n')).toMatch(/classified .* reason: erased/);

    // The lead is a tombstone; its Slack messages (recorded here) now read as the erased card, nothing else.
    expect(t.app.leads.get(first)).toBeNull();
    expect(t.app.leads.erasedAt(first)).toEqual(expect.any(String));
    const bodies = db.prepare("SELECT body_json FROM slack_recorded WHERE json_extract(body_json, '$.metadata.event_payload.lead_id') IN (?, ?) OR body_json LIKE '%erased%'")
      .pluck().all(first, second) as string[];
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) expect(b).toContain('Lead erased on request on');
  });

  it('says so and changes nothing for an address with no leads, or a lead already erased', async () => {
    t = await startTestApp();
    const id = (await t.deliver('generic', FIRST)).body.lead_id as string;
    await t.settle();
    const rows = () => t!.app.db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get();
    const before = rows();
    expect(await runCommand(erase, ['nobody@nowhere.example'], t.env)).toMatchObject({ code: 1, err: ['lead-triage erase: no leads for this address: nothing changed'] });
    expect(await runCommand(erase, ['ld_missing'], t.env)).toMatchObject({ code: 1, err: ['lead-triage erase: no lead with id ld_missing: nothing changed'] });
    expect(rows()).toBe(before);
    expect(await runCommand(erase, [id, '--dry-run'], t.env)).toMatchObject({ code: 0, out: [expect.stringMatching(/^would erase 1 lead of this address/)] });
    expect(t.app.leads.get(id)).not.toBeNull();
    expect((await runCommand(erase, [id], t.env)).code).toBe(0);
    const after = rows();
    expect(await runCommand(erase, [id], t.env)).toMatchObject({ code: 0, out: [expect.stringMatching(new RegExp(`^${id} was already erased on \\d{4}-\\d{2}-\\d{2}: nothing changed$`))] });
    expect(rows()).toBe(after);
  });

  it('replaces the card and the owner\'s DM in Slack in place, and names the HubSpot record without deleting it', async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    const id = (await t.deliver('generic', FIRST)).body.lead_id as string;
    await t.settle();
    const posted = t.app.db.prepare('SELECT channel, ts FROM slack_posts WHERE lead_id = ?').all(id) as Array<{ channel: string; ts: string }>;
    expect(posted.map((p) => p.channel)).toEqual(['C0SALES001', 'D0SALES001']); // the card and the owner's DM
    const contact = [...t.hubspot!.store.contacts.values()][0]!;

    const erased = await runCommand(erase, [PERSON.email], t.env);
    expect(erased.code).toBe(0);
    expect(erased.out).toContain(`CRM: hubspot contact ${contact.id} (https://app.hubspot.com/contacts/${t.hubspot!.portalId}/record/0-1/${contact.id}) is not deleted by lead-triage; use the CRM's own GDPR delete`);
    const updates = t.slack!.callsTo('chat.update').filter((c) => String(c.body.text).startsWith('Lead erased on request'));
    expect(new Set(updates.map((u) => `${u.body.channel} ${u.body.ts}`))).toEqual(new Set(posted.map((p) => `${p.channel} ${p.ts}`)));
    for (const u of updates) {
      expect(JSON.stringify(u.body.blocks)).not.toMatch(/Quellwasser|narwhal|Müller|actions/);
    }
    expect(t.hubspot!.store.contacts.has(contact.id)).toBe(true);
    expect(t.app.leads.get(id)).toBeNull();
  });
});
