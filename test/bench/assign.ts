import { readFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';
import { PolicySchema } from '../../src/policy/schema.ts';
import { assign, type LedgerEntry } from '../../src/routing/assign.ts';
import type { CanonicalLead } from '../../src/core/lead.ts';
import { loadRoutingState } from '../../src/routing/ledger.ts';
import type { Policy } from '../../src/policy/schema.ts';
import { openDb } from '../../src/store/db.ts';

const DAY = 86_400_000;

/** assign() per lead with 50 people in 5 pools (mixed time zones and hours, caps, absences, newcomers) over 2,000 ledger entries. */
export function benchAssign(leads = 20_000): { perLeadMs: number; readStateMs: number; assigned: number; leads: number } {
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC', 'Australia/Sydney'];
  const ids = Array.from({ length: 50 }, (_, i) => `U0P${String(i).padStart(5, '0')}`);
  const people = Object.fromEntries(ids.map((id, i) => [id, { name: `P${i}`, timezone: zones[i % 5], hours: i % 2 ? 'Mon-Fri 08:00-18:00' : 'Mon-Sun 00:00-24:00' }]));
  const pools = Object.fromEntries(Array.from({ length: 5 }, (_, p) => [`p${p}`, {
    members: ids.slice(p * 10, p * 10 + 10).map((user, i) => ({ user, weight: 1 + (i % 3) })), caps: { per_day: 500, per_week: 2000 }, window: 'month',
  }]));
  const base = parse(readFileSync('data/policy.json', 'utf8')) as Record<string, any>;
  const policy = PolicySchema.parse({
    ...base, people, pools,
    routing: { ...base.routing, rules: [{ when: { country: ['DE'] }, queue: 'sales', pool: 'p1' }], queues: { ...base.routing.queues, sales: { ...base.routing.queues.sales, pool: 'p0' }, support: { ...base.routing.queues.support, pool: 'p2' } } },
  });
  const now = Date.UTC(2026, 11, 1, 12);
  const entries: LedgerEntry[] = Array.from({ length: 2000 }, (_, i) => ({
    lead_id: `l${i}`, user: ids[(i * 7) % 50]!, pool: `p${Math.floor(((i * 7) % 50) / 10)}`, at: now - (i + 1) * 20 * 60_000, via: 'round_robin', credited: i % 17 === 0,
  }));
  const absences = ids.slice(0, 8).map((user, i) => ({ user, from: now - (i + 2) * DAY, until: i % 2 ? now - DAY : null }));
  const joined = { p0: Object.fromEntries(ids.slice(0, 10).map((u, i) => [u, now - i * 3 * DAY])) };
  const lead: CanonicalLead = {
    name: 'Bench', email: 'bench@example.com', company: null, website: null, phone: null, message: 'pricing please', source: 'generic',
    utm: { source: null, medium: null, campaign: null, term: null, content: null }, submitted_at: new Date(now).toISOString(), submitter_ip: null, raw_answers: {},
  };
  const facts = { queue: 'sales' as const, intent: 'buying', human: null, crmOwners: { contact: null, company: null, domain: null }, exclude: [] };
  const state = { entries, absences, joined };
  const readStateMs = timeStateRead(policy, entries, now);
  for (let i = 0; i < 500; i++) assign(lead, null, facts, policy, state, now + i * 1000); // warm-up
  let assigned = 0;
  const t0 = performance.now();
  for (let i = 0; i < leads; i++) if (assign(lead, null, facts, policy, state, now + i * 1000).user) assigned++;
  return { perLeadMs: (performance.now() - t0) / leads, readStateMs, assigned, leads };
}

/** The ledger read each routed lead pays before assign(): the same 2,000 entries from SQLite. */
function timeStateRead(policy: Policy, entries: LedgerEntry[], now: number): number {
  const db = openDb(':memory:');
  const leadRow = db.prepare(`INSERT INTO leads (id, provider, email, email_domain, submitter_ip, content_hash, data_json, status, correlation_id, created_at, updated_at)
    VALUES (?, 'generic', 'b@example.com', 'example.com', NULL, ?, '{}', 'routed', 'c', '', '')`);
  const row = db.prepare(`INSERT INTO assignments (lead_id, user_id, queue, pool, via, rotation, credited, reason, detail_json, assigned_at, ended_at)
    VALUES (?, ?, 'sales', ?, ?, 1, ?, 'bench', '{}', ?, ?)`);
  db.transaction(() => entries.forEach((e) => {
    leadRow.run(e.lead_id, e.lead_id);
    row.run(e.lead_id, e.user, e.pool, e.via, e.credited ? 1 : 0, e.at, e.at + 1);
  }))();
  for (let i = 0; i < 50; i++) loadRoutingState(db, policy, now);
  const runs = 500;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) loadRoutingState(db, policy, now);
  const ms = (performance.now() - t0) / runs;
  db.close();
  return ms;
}
