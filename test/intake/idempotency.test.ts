import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.ts';
import { harness, sample } from './harness.ts';

const exec = promisify(execFile);

const body = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ email: 'ana@acme-widgets.com', name: 'Ana Souza', company: 'Acme Widgets', message: 'Need a quote for 25 seats', ...over });

describe('idempotency', () => {
  it('a vendor event id delivered twice → 202 duplicate with the original lead_id; one lead, one job', () => {
    const h = harness();
    const first = h.deliver('tally', sample('tally'));
    const again = h.deliver('tally', sample('tally'));
    expect(first.body.status).toBe('enqueued');
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ lead_id: first.lead_id, status: 'duplicate' });
    expect(h.count('leads')).toBe(1);
    expect(h.count('jobs')).toBe(1);
    expect(h.count('inbound_events')).toBe(1);
  });

  it('the same event id from two different vendors is two leads', () => {
    const h = harness();
    h.deliver('generic', body({ event_id: 'evt-1' }));
    const other = h.deliver('generic', body({ event_id: 'evt-2' }));
    expect(other.body.status).toBe('enqueued');
    expect(h.count('leads')).toBe(2);
  });

  it('Idempotency-Key header dedupes a body without an event id, even when the content differs', () => {
    const h = harness();
    const a = h.deliver('generic', body(), { headers: { 'Idempotency-Key': 'k-123' } });
    const b = h.deliver('generic', body({ message: 'edited' }), { headers: { 'Idempotency-Key': 'k-123' } });
    expect(b.body).toEqual({ lead_id: a.lead_id, status: 'duplicate' });
    expect(h.count('jobs')).toBe(1);
  });

  it('without id or key, the same submission within 24 h is a duplicate (whitespace and case aside)', () => {
    let t = Date.parse('2024-03-01T10:00:00Z');
    const h = harness({ now: () => t });
    const a = h.deliver('formspree', sample('formspree'), { timestamp: t });
    t += 60_000;
    const b = h.deliver('formspree', sample('formspree').replace('Hannah Okafor', ' hannah  OKAFOR '), { timestamp: t });
    expect(b.body).toEqual({ lead_id: a.lead_id, status: 'duplicate' });
    expect(h.count('leads')).toBe(1);
  });

  it('an identical submission more than 24 h later is a new lead', () => {
    let t = Date.parse('2024-03-01T10:00:00Z');
    const h = harness({ now: () => t });
    const a = h.deliver('generic', body(), { timestamp: t });
    t += 25 * 60 * 60 * 1000;
    const b = h.deliver('generic', body(), { timestamp: t });
    expect(b.body.status).toBe('enqueued');
    expect(b.lead_id).not.toBe(a.lead_id);
    expect(h.count('jobs')).toBe(2);
  });

  it('a different message from the same person is a new lead', () => {
    const h = harness();
    h.deliver('generic', body());
    expect(h.deliver('generic', body({ message: 'Also: SSO?' })).body.status).toBe('enqueued');
  });

  it('concurrent deliveries of one event through two connections to one database yield exactly one lead', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'intake-')), 'leads.sqlite');
    const a = harness({ db: openDb(path) });
    const b = harness({ db: openDb(path) });
    const deliveries = Array.from({ length: 40 }, (_, i) => async () => {
      await Promise.resolve();
      return (i % 2 ? a : b).deliver('webflow', sample('webflow'));
    });
    const results = await Promise.all(deliveries.map((d) => d()));
    const leadIds = new Set(results.map((r) => r.lead_id));
    expect(leadIds.size).toBe(1);
    expect(results.filter((r) => r.body.status === 'enqueued')).toHaveLength(1);
    expect(a.count('leads')).toBe(1);
    expect(b.count('jobs')).toBe(1);
  });

  it('four processes delivering the same event at once into one database file yield exactly one lead', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'intake-')), 'leads.sqlite');
    openDb(path).close(); // migrate once, before the writers race
    const script = fileURLToPath(new URL('./fixtures/deliver-many.ts', import.meta.url));
    const runs = await Promise.all(
      [0, 1, 2, 3].map(() => exec(process.execPath, ['--import', 'tsx', script, path, '25']).then((r) => JSON.parse(r.stdout) as string[])),
    );
    const statuses = runs.flat();
    expect(statuses).toHaveLength(100);
    expect(statuses.filter((s) => s === 'enqueued')).toHaveLength(1);
    const db = openDb(path);
    expect(db.prepare('SELECT COUNT(*) FROM leads').pluck().get()).toBe(1);
    expect(db.prepare('SELECT COUNT(*) FROM jobs').pluck().get()).toBe(1);
  }, 60_000);
});
