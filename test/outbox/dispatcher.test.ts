import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/outbox/dispatcher.ts';
import { listOutbox, retryDead } from '../../src/outbox/admin.ts';
import { DeferredError, PermanentError, TransientError } from '../../src/core/upstream.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { openDb } from '../../src/store/db.ts';
import { outboxRows, seed } from './seed.ts';

const fast = { initialDelayMs: 1, maxDelayMs: 5 };

describe('outbox dispatcher', () => {
  it('runs an effect once, stores its result and audits effect_done', async () => {
    const { db, audit, leadId } = seed(['crm_upsert_contact']);
    let calls = 0;
    const d = createDispatcher({ db, audit, logger: silentLogger(), handlers: { crm_upsert_contact: async () => ({ n: ++calls }) } });
    expect(await d.runOnce()).toBe(1);
    expect(await d.runOnce()).toBe(0);
    expect(calls).toBe(1);
    const [row] = outboxRows(db);
    expect(row).toMatchObject({ status: 'done', attempts: 1, result_json: '{"n":1}' });
    const events = audit.trail(leadId).filter((r) => r.stage === 'act').map((r) => r.event);
    expect(events).toEqual(['decision_committed', 'effect_done']);
  });

  it('honours Retry-After on a transient failure, then succeeds', async () => {
    const { db, audit, leadId } = seed(['crm_upsert_contact']);
    let calls = 0;
    const d = createDispatcher({
      db, audit, logger: silentLogger(), backoff: fast,
      handlers: { crm_upsert_contact: async () => { if (++calls === 1) throw new TransientError('429', 400); return 'ok'; } },
    });
    const before = Date.now();
    await d.runOnce();
    const [row] = outboxRows(db);
    expect(row!.status).toBe('pending');
    expect(row!.next_attempt_at).toBeGreaterThanOrEqual(before + 400);
    expect(await d.runOnce()).toBe(0); // not due yet
    await new Promise((r) => setTimeout(r, 420));
    expect(await d.runOnce()).toBe(1);
    expect(outboxRows(db)[0]).toMatchObject({ status: 'done', attempts: 2 });
    const retry = audit.trail(leadId).find((r) => r.event === 'effect_retry');
    expect(retry?.reason).toBe('429');
    expect(retry?.latency_ms).not.toBeNull();
  });

  it('dead-letters a permanent failure; retryDead revives it', async () => {
    const { db, audit, leadId } = seed(['crm_upsert_contact']);
    let fail = true;
    const d = createDispatcher({
      db, audit, logger: silentLogger(),
      handlers: { crm_upsert_contact: async () => { if (fail) throw new PermanentError('HTTP 400 bad property'); return 'ok'; } },
    });
    await d.runOnce();
    expect(listOutbox(db, { dead: true })).toHaveLength(1);
    expect(audit.trail(leadId).some((r) => r.event === 'effect_dead' && r.reason === 'HTTP 400 bad property')).toBe(true);
    fail = false;
    expect(retryDead(db, 'all')).toBe(1);
    await d.runOnce();
    expect(outboxRows(db)[0]).toMatchObject({ status: 'done', attempts: 1 });
    expect(listOutbox(db, { dead: true })).toHaveLength(0);
  });

  it('dead-letters after max attempts of transient failures', async () => {
    const { db, audit } = seed(['crm_upsert_contact']);
    const d = createDispatcher({ db, audit, logger: silentLogger(), backoff: fast, maxAttempts: 3, handlers: { crm_upsert_contact: async () => { throw new TransientError('503'); } } });
    for (let i = 0; i < 6; i++) { await d.runOnce(); await new Promise((r) => setTimeout(r, 10)); }
    expect(outboxRows(db)[0]).toMatchObject({ status: 'dead', attempts: 3, last_error: '503' });
  });

  it('treats a hung handler as a transient timeout', async () => {
    const { db, audit } = seed(['crm_upsert_contact']);
    const d = createDispatcher({ db, audit, logger: silentLogger(), backoff: fast, handlerTimeoutMs: 50, handlers: { crm_upsert_contact: () => new Promise(() => {}) } });
    await d.runOnce();
    expect(outboxRows(db)[0]).toMatchObject({ status: 'pending', last_error: 'crm_upsert_contact: handler timed out' });
  });

  it('leaves kinds without a handler pending', async () => {
    const { db, audit } = seed(['crm_upsert_contact', 'slack_post_lead']);
    const d = createDispatcher({ db, audit, logger: silentLogger(), handlers: { crm_upsert_contact: async () => 'ok' } });
    expect(await d.runOnce()).toBe(1);
    expect(outboxRows(db).map((r) => [r.kind, r.status])).toEqual([['crm_upsert_contact', 'done'], ['slack_lead_card', 'pending']]);
  });

  it('never runs a row twice across two dispatchers on the same file', async () => {
    const path = `/tmp/outbox-${process.pid}-${Date.now()}.sqlite`;
    const { db: db1, audit } = seed(['crm_upsert_contact', 'crm_add_note', 'crm_create_task'], { db: openDb(path) });
    const db2 = openDb(path);
    const seen: number[] = [];
    const handler = async (e: { id: number }) => { seen.push(e.id); await new Promise((r) => setTimeout(r, 20)); };
    const handlers = { crm_upsert_contact: handler, crm_add_note: handler, crm_create_task: handler };
    const a = createDispatcher({ db: db1, audit, logger: silentLogger(), handlers, concurrency: 3 });
    const b = createDispatcher({ db: db2, audit, logger: silentLogger(), handlers, concurrency: 3 });
    const [na, nb] = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(na + nb).toBe(3);
    expect(seen.sort()).toEqual([...new Set(seen)].sort());
    expect(seen).toHaveLength(3);
    db1.close();
    db2.close();
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
  });

  it('re-runs a row whose lease expired (crash) and ignores the stale worker’s bookkeeping', async () => {
    const { db, audit } = seed(['crm_upsert_contact']);
    let calls = 0;
    const d = createDispatcher({ db, audit, logger: silentLogger(), handlers: { crm_upsert_contact: async () => ++calls } });
    // a crashed dispatcher claimed the row and died: status running, lease in the past
    db.prepare("UPDATE outbox SET status = 'running', attempts = 1, lease_until = ?").run(Date.now() - 1);
    expect(await d.runOnce()).toBe(1);
    expect(outboxRows(db)[0]).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('a deferral (vendor not called) gives its attempt back and waits as long as it was told', async () => {
    const { db, audit, leadId } = seed(['crm_upsert_contact']);
    let calls = 0;
    const d = createDispatcher({
      db, audit, logger: silentLogger(), maxAttempts: 1,
      handlers: { crm_upsert_contact: async () => { if (++calls <= 3) throw new DeferredError('hubspot upsert contact: circuit open', 30); return 'ok'; } },
    });
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      expect(await d.runOnce()).toBe(1);
      expect(outboxRows(db)[0]).toMatchObject({ status: 'pending', attempts: 0, last_error: 'hubspot upsert contact: circuit open' });
      expect(outboxRows(db)[0]!.next_attempt_at).toBeGreaterThanOrEqual(before + 30);
      await new Promise((r) => setTimeout(r, 40));
    }
    await d.runOnce();
    // one real try, within a budget of one attempt
    expect(outboxRows(db)[0]).toMatchObject({ status: 'done', attempts: 1 });
    expect(audit.trail(leadId).filter((r) => r.stage === 'act').map((r) => r.event)).toEqual(['decision_committed', 'effect_done']);
  });

  it('renews the lease of an effect slower than the lease: no second dispatcher runs it meanwhile', async () => {
    const path = `/tmp/outbox-renew-${process.pid}-${Date.now()}.sqlite`;
    const { db, audit } = seed(['crm_upsert_contact'], { db: openDb(path) });
    const db2 = openDb(path);
    let calls = 0;
    const slow = async () => { calls++; await new Promise((r) => setTimeout(r, 900)); return 'ok'; };
    const a = createDispatcher({ db, audit, logger: silentLogger(), leaseMs: 300, handlers: { crm_upsert_contact: slow } });
    const b = createDispatcher({ db: db2, audit, logger: silentLogger(), leaseMs: 300, handlers: { crm_upsert_contact: slow } });
    const first = a.runOnce();
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 100));
      expect(await b.runOnce()).toBe(0);
    }
    await first;
    expect(calls).toBe(1);
    expect(outboxRows(db)[0]).toMatchObject({ status: 'done', attempts: 1 });
    await Promise.all([a.stop(), b.stop()]);
    db.close();
    db2.close();
    for (const s of ['', '-wal', '-shm']) rmSync(`${path}${s}`, { force: true });
  });

  it('an effect whose every attempt died with its process is dead-lettered, not claimed forever', async () => {
    const { db, audit, leadId } = seed(['crm_upsert_contact']);
    let calls = 0;
    const d = createDispatcher({ db, audit, logger: silentLogger(), maxAttempts: 3, handlers: { crm_upsert_contact: async () => ++calls } });
    db.prepare("UPDATE outbox SET status = 'running', attempts = 3, lease_owner = 'dead-process', lease_until = ?").run(Date.now() - 1);
    expect(await d.runOnce()).toBe(0);
    expect(calls).toBe(0);
    expect(outboxRows(db)[0]).toMatchObject({ status: 'dead', attempts: 3 });
    expect(audit.trail(leadId).find((r) => r.event === 'effect_dead')?.reason).toBe('the last attempt never finished');
  });
});
