import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { HubspotFake } from '../fakes/hubspot.ts';
import { createInflightLedger } from '../../src/outbox/inflight.ts';
import { createHubspotCrm } from '../../src/crm/hubspot.ts';
import { createCrmEffectHandlers } from '../../src/outbox/crm-effects.ts';
import { createDispatcher } from '../../src/outbox/dispatcher.ts';
import { retryDead } from '../../src/outbox/admin.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { lead, outboxRows, policy, seed } from '../outbox/seed.ts';

const fast = { initialDelayMs: 1, maxDelayMs: 5 };
let fake: HubspotFake;
let baseUrl: string;

beforeEach(async () => {
  fake = new HubspotFake();
  baseUrl = await fake.start();
});
afterEach(async () => fake.stop());

function hubspot(db: Db, opts: { timeoutMs?: number; settleMs?: number; halfOpenAfterMs?: number } = {}) {
  return createHubspotCrm({ accessToken: fake.token, baseUrl, timeoutMs: opts.timeoutMs ?? 2_000, halfOpenAfterMs: opts.halfOpenAfterMs, ledger: createInflightLedger(db, { settleMs: opts.settleMs ?? 50 }) });
}

function dispatcherFor(db: Db, audit: AuditLog, timeoutMs = 2_000) {
  const crm = hubspot(db, { timeoutMs });
  const handlers = createCrmEffectHandlers({ db, crm, policy, audit, logger: silentLogger() });
  return createDispatcher({ db, audit, logger: silentLogger(), handlers, backoff: fast });
}

async function drain(d: { runOnce(): Promise<number> }, db: Db, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds && crmRows(db).some((r) => r.status !== 'done' && r.status !== 'dead'); i++) {
    await d.runOnce();
    await new Promise((r) => setTimeout(r, 15));
  }
}

const ALL = ['crm_upsert_contact', 'crm_add_note', 'crm_create_task'] as const;
/** The CRM effects alone: a known record link also queues a card update, which this dispatcher does not run. */
const crmRows = (db: Parameters<typeof outboxRows>[0]) => outboxRows(db).filter((r) => r.kind.startsWith('crm_'));

describe('CRM effects against the HubSpot fake (real SDK)', () => {
  it('writes one contact with only the mapped fields, one note and one task; owner and amount untouched', async () => {
    fake.seed('contacts', { email: 'jane@acme-corp.com', hubspot_owner_id: '777', amount: '5000', closedate: '2026-03-01', firstname: 'Old' });
    const { db, audit } = seed([...ALL]);
    await drain(dispatcherFor(db, audit), db);
    expect(crmRows(db).map((r) => r.status)).toEqual(['done', 'done', 'done']);
    const contacts = fake.all('contacts');
    expect(contacts).toHaveLength(1);
    const p = contacts[0]!.properties;
    expect(p).toMatchObject({ email: 'jane@acme-corp.com', firstname: 'Jane', lastname: 'Doe', company: 'Acme Corp', website: 'https://acme-corp.com', phone: '+1 555 0100' });
    expect(p).toMatchObject({ hubspot_owner_id: '777', amount: '5000', closedate: '2026-03-01' });
    // Every property the agent ever sent is in the mapping: nothing else left the process.
    const sent = fake.requests.filter((r) => r.path.endsWith('/batch/upsert')).flatMap((r) => Object.keys((r.body as any).inputs[0].properties));
    expect(new Set(sent)).toEqual(new Set(['email', 'firstname', 'lastname', 'company', 'website', 'phone']));
    const [note] = fake.all('notes');
    expect(fake.all('notes')).toHaveLength(1);
    expect(note!.properties['hs_note_body']).toContain('Acme Corp wants a 40-seat demo.');
    expect(note!.properties['hs_note_body']).toContain('fit_high (fit 88 ≥ 85)');
    expect(note!.associations).toEqual([{ toId: contacts[0]!.id, typeId: 202 }]);
    expect(fake.all('tasks')).toHaveLength(1);
    expect(fake.all('tasks')[0]!.associations).toEqual([{ toId: contacts[0]!.id, typeId: 204 }]);
    const result = JSON.parse(crmRows(db)[1]!.result_json!);
    expect(result).toMatchObject({ crm: 'hubspot', note_id: note!.id, created: true });
  });

  it('rides out a 429 burst, waiting at least Retry-After between attempts', async () => {
    fake.fail({ match: 'POST /crm/v3/objects/contacts/batch/upsert', status: 429, retryAfter: '0.15', times: 3 });
    const { db, audit } = seed(['crm_upsert_contact']);
    await drain(dispatcherFor(db, audit), db, 40);
    expect(crmRows(db)[0]).toMatchObject({ status: 'done', attempts: 4 });
    const at = fake.requests.filter((r) => r.path.endsWith('/batch/upsert')).map((r) => r.at);
    expect(at).toHaveLength(4);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(145);
    expect(fake.all('contacts')).toHaveLength(1);
  });

  it('retries a 5xx then succeeds', async () => {
    fake.fail({ match: 'POST /crm/v3/objects/notes', status: 502 });
    const { db, audit, leadId } = seed(['crm_add_note']);
    await drain(dispatcherFor(db, audit), db);
    expect(crmRows(db)[0]).toMatchObject({ status: 'done', attempts: 2 });
    expect(fake.all('notes')).toHaveLength(1);
    expect(audit.trail(leadId).find((r) => r.event === 'effect_retry')?.reason).toMatch(/HTTP 502/);
  });

  it('treats a slow HubSpot as a timeout and retries', async () => {
    fake.fail({ match: 'POST /crm/v3/objects/contacts/batch/upsert', delayMs: 400 });
    const { db, audit, leadId } = seed(['crm_upsert_contact']);
    await drain(dispatcherFor(db, audit, 100), db);
    expect(crmRows(db)[0]).toMatchObject({ status: 'done' });
    expect(audit.trail(leadId).find((r) => r.event === 'effect_retry')?.reason).toMatch(/timeout/);
    await new Promise((r) => setTimeout(r, 400)); // the slow request still lands: upsert by email keeps it one contact
    expect(fake.all('contacts')).toHaveLength(1);
  });

  it('parks a 400 as dead; `outbox retry` brings it back to done', async () => {
    fake.fail({ match: 'POST /crm/v3/objects/tasks', status: 400 });
    const { db, audit } = seed(['crm_create_task']);
    await drain(dispatcherFor(db, audit), db);
    expect(crmRows(db)[0]).toMatchObject({ status: 'dead', attempts: 1 });
    expect(crmRows(db)[0]!.last_error).toMatch(/HTTP 400/);
    expect(retryDead(db, crmRows(db)[0]!.id)).toBe(1);
    await drain(dispatcherFor(db, audit), db);
    expect(crmRows(db)[0]!.status).toBe('done');
    expect(fake.all('tasks')).toHaveLength(1);
  });

  it('a 207 partial failure on upsert is permanent and names the property', async () => {
    const bad = { ...policy, policy: { ...policy.policy, crm: { ...policy.policy.crm, field_mapping: { ...policy.policy.crm.field_mapping, company: 'bogus_property' } } } };
    const { db, audit } = seed(['crm_upsert_contact']);
    const crm = hubspot(db);
    const d = createDispatcher({ db, audit, logger: silentLogger(), handlers: createCrmEffectHandlers({ db, crm, policy: bad, audit, logger: silentLogger() }) });
    await d.runOnce();
    expect(crmRows(db)[0]).toMatchObject({ status: 'dead' });
    expect(crmRows(db)[0]!.last_error).toMatch(/bogus_property/);
  });

  it('a crash between the CRM call and the bookkeeping still leaves one contact, note and task', async () => {
    const { db, audit } = seed([...ALL]);
    const handlers = createCrmEffectHandlers({ db, crm: hubspot(db), policy, audit, logger: silentLogger() });
    // The handlers ran to the end (HubSpot answered) and the process died before the outbox rows were marked done.
    db.prepare("UPDATE outbox SET status = 'running', attempts = 1, lease_until = ?").run(Date.now() - 1);
    for (const row of db.prepare('SELECT id, lead_id, decision_id, kind, dedupe_key, correlation_id FROM outbox').all() as any[]) {
      await handlers[row.kind as (typeof ALL)[number]]({ ...row, payload: {}, attempts: 1 });
    }
    await drain(dispatcherFor(db, audit), db);
    expect(crmRows(db).map((r) => [r.status, r.attempts])).toEqual([['done', 2], ['done', 2], ['done', 2]]);
    expect(fake.all('contacts')).toHaveLength(1);
    expect(fake.all('notes')).toHaveLength(1);
    expect(fake.all('tasks')).toHaveLength(1);
    expect(fake.count('POST', '/crm/v3/objects/notes')).toBe(1);
    expect(fake.count('POST', '/crm/v3/objects/tasks')).toBe(1);
    expect(db.prepare('SELECT COUNT(*) FROM effect_calls').pluck().get()).toBe(0);
  });

  it.each([['notes', 'crm_add_note'], ['tasks', 'crm_create_task']] as const)(
    'a %s create HubSpot answers after the client timeout is found, not created again', async (type, kind) => {
      // HubSpot makes the write at once and answers 500 ms later; the client gives up after 150 ms.
      fake.fail({ match: `POST /crm/v3/objects/${type}`, lateAnswerMs: 500 });
      const { db, audit, leadId } = seed([kind]);
      const d = createDispatcher({ db, audit, logger: silentLogger(), backoff: fast, handlers: createCrmEffectHandlers({ db, crm: hubspot(db, { timeoutMs: 150, settleMs: 700 }), policy, audit, logger: silentLogger() }) });
      await d.runOnce();
      expect(crmRows(db)[0]).toMatchObject({ status: 'pending', attempts: 1 });
      expect(crmRows(db)[0]!.last_error).toMatch(/timeout/);
      // the retry comes before the straggler could be told apart: it waits, spending no attempt
      await new Promise((r) => setTimeout(r, 20));
      await d.runOnce();
      expect(crmRows(db)[0]).toMatchObject({ status: 'pending', attempts: 1 });
      expect(crmRows(db)[0]!.last_error).toMatch(/outcome is unknown/);
      await new Promise((r) => setTimeout(r, 750));
      await d.runOnce();
      expect(crmRows(db)[0]).toMatchObject({ status: 'done', attempts: 2 });
      expect(fake.all(type)).toHaveLength(1);
      expect(fake.count('POST', `/crm/v3/objects/${type}`)).toBe(1);
      expect(JSON.parse(crmRows(db)[0]!.result_json!)).toMatchObject({ created: false });
      expect(audit.trail(leadId).filter((r) => r.stage === 'act').map((r) => r.event)).toEqual(['decision_committed', 'effect_retry', 'effect_done']);
    },
  );

  it('a create that failed with an answer (429) is simply retried: nothing to look for', async () => {
    fake.fail({ match: 'POST /crm/v3/objects/notes', status: 429, retryAfter: '0' });
    const { db, audit } = seed(['crm_add_note']);
    const d = createDispatcher({ db, audit, logger: silentLogger(), backoff: fast, handlers: createCrmEffectHandlers({ db, crm: hubspot(db, { settleMs: 60_000 }), policy, audit, logger: silentLogger() }) });
    await drain(d, db);
    expect(crmRows(db)[0]).toMatchObject({ status: 'done', attempts: 2 });
    expect(fake.all('notes')).toHaveLength(1);
    expect(fake.requests.some((r) => r.path.startsWith('/crm/v4/'))).toBe(false);
  });

  it('an open breaker delays effects without spending their attempts: an outage of twenty breaker cycles dead-letters nothing', async () => {
    const { db, audit } = seed([...ALL]);
    for (let i = 0; i < 3; i++) seed([...ALL], { db, lead: lead({ email: `buyer${i}@acme-corp.com` }) });
    // Scaled time: the breaker half-opens every 100 ms (15 s in production) through a 2 s outage (a 5-minute one).
    fake.fail({ match: 'POST /crm/v3/objects/contacts/batch/upsert', status: 503, times: 1_000_000 });
    const d = createDispatcher({
      db, audit, logger: silentLogger(), backoff: { initialDelayMs: 20, maxDelayMs: 400 },
      handlers: createCrmEffectHandlers({ db, crm: hubspot(db, { halfOpenAfterMs: 100 }), policy, audit, logger: silentLogger() }),
    });
    const outageEnds = Date.now() + 2_000;
    while (Date.now() < outageEnds) {
      await d.runOnce();
      await new Promise((r) => setTimeout(r, 10));
    }
    const triedDuringOutage = fake.count('POST', '/crm/v3/objects/contacts/batch/upsert');
    const attemptsDuringOutage = crmRows(db).reduce((n, r) => n + r.attempts, 0);
    expect(crmRows(db).filter((r) => r.status === 'dead')).toEqual([]);
    // every attempt counted is a request HubSpot received; the breaker let through about one per cycle
    expect(attemptsDuringOutage).toBeLessThanOrEqual(triedDuringOutage);
    expect(triedDuringOutage).toBeLessThan(5 + 2 * 20 + 5);
    fake.clearFaults();
    await drain(d, db, 200);
    expect(crmRows(db).map((r) => r.status)).toEqual(Array(12).fill('done'));
    expect(fake.all('contacts')).toHaveLength(4);
    expect(fake.all('notes')).toHaveLength(4);
    expect(fake.all('tasks')).toHaveLength(4);
  });

  it('concurrent duplicate dispatchers and a decision committed twice produce one of each', async () => {
    const path = `/tmp/hs-effects-${process.pid}-${Date.now()}.sqlite`;
    const first = seed([...ALL], { db: openDb(path) });
    // a second decision for the same lead (reprocess / duplicate delivery): note and task are once-per-lead
    seed([...ALL], { db: first.db, leadId: first.leadId });
    const db2 = openDb(path);
    const a = dispatcherFor(first.db, first.audit);
    const b = dispatcherFor(db2, new AuditLog(db2));
    await Promise.all([drain(a, first.db), drain(b, db2)]);
    const crmRows = outboxRows(first.db).filter((r) => r.kind.startsWith('crm_'));
    // upsert per decision; note and task once per lead (the second decision's slack_update_card has no handler here)
    expect(crmRows.map((r) => `${r.kind}:${r.status}`)).toEqual(['crm_upsert_contact:done', 'crm_add_note:done', 'crm_create_task:done', 'crm_upsert_contact:done']);
    expect(fake.all('contacts')).toHaveLength(1);
    expect(fake.all('notes')).toHaveLength(1);
    expect(fake.all('tasks')).toHaveLength(1);
    first.db.close();
    db2.close();
    for (const s of ['', '-wal', '-shm']) rmSync(`${path}${s}`, { force: true });
  });

  it('crm_assign_owner records the Slack claim as a note; sets a mapped owner only when none is set', async () => {
    const existing = fake.seed('contacts', { email: 'jane@acme-corp.com', hubspot_owner_id: '777' });
    const { db, audit, leadId, decisionId } = seed([]);
    db.prepare(`INSERT INTO outbox (lead_id, decision_id, kind, dedupe_key, payload_json, next_attempt_at, correlation_id, created_at, updated_at)
      VALUES (?, ?, 'crm_assign_owner', ?, ?, 0, 'c', '', '')`).run(leadId, decisionId, `${leadId}:claim`, JSON.stringify({ slack_user_id: 'U0SALES001' }));
    const crm = hubspot(db);
    const owners = { resolve: async () => ({ ownerId: '555', via: 'policy' as const }) };
    const d = createDispatcher({ db, audit, logger: silentLogger(), handlers: createCrmEffectHandlers({ db, crm, policy, audit, logger: silentLogger(), owners }) });
    await d.runOnce();
    expect(crmRows(db).find((r) => r.kind === 'crm_assign_owner')).toMatchObject({ status: 'done' });
    expect(fake.all('contacts')).toHaveLength(1);
    expect(existing.properties['hubspot_owner_id']).toBe('777'); // a person's choice is never replaced
    expect(fake.all('notes')[0]!.properties['hs_note_body']).toContain('Claimed in Slack by user U0SALES001');
    existing.properties['hubspot_owner_id'] = '';
    db.prepare("UPDATE outbox SET status = 'pending', dedupe_key = 'again' WHERE kind = 'crm_assign_owner'").run();
    await d.runOnce();
    expect(existing.properties['hubspot_owner_id']).toBe('555');
  });
});
