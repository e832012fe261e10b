import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { parse } from 'jsonc-parser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { computeFigures, percentile, type Figures } from '../../src/console/figures.ts';
import { figuresPage, scriptJson } from '../../src/console/pages/figures.ts';
import type { Decision, FinalAction } from '../../src/core/decision.ts';
import { commitDecision } from '../../src/pipeline/commit.ts';
import { parsePolicy } from '../../src/policy/load.ts';
import type { Policy } from '../../src/policy/schema.ts';
import { acceptLead, claimLead } from '../../src/review/claim.ts';
import type { Assignment } from '../../src/routing/assign.ts';
import { creditBackLead, loadRoutingState, recordAssignment } from '../../src/routing/ledger.ts';
import { poolStatus } from '../../src/routing/poolStatus.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { openDb, type Db } from '../../src/store/db.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-12-01T10:00:00Z');
const ANA = 'U0SALES001';
const BEN = 'U0SALES002';
const APPROVER = 'U0APPROVE1';
const HOSTILE = '</script><script>alert(1)</script>';

const raw = parse(readFileSync('data/policy.json', 'utf8')) as Record<string, unknown> & { routing: Record<string, unknown> };

function makePolicy(benName = 'Ben'): Policy {
  return parsePolicy(JSON.stringify({
    ...raw,
    people: {
      [ANA]: { name: 'Ana', timezone: 'Europe/Berlin', hours: 'Mon-Fri 09:00-17:30' },
      [BEN]: { name: benName, timezone: 'America/New_York', hours: 'Mon-Fri 09:00-17:00' },
    },
    // always_open: eligibility does not depend on the hour the suite runs at.
    pools: { ae: { members: [{ user: ANA, weight: 2 }, { user: BEN }], window: 'week', always_open: true, fallback: 'queue' } },
    routing: { ...raw.routing, rules: [], queues: { sales: { channel: 'C0SALES001', pool: 'ae' }, support: { channel: 'C0SUPPORT1' }, founder: { channel: 'C0FOUNDER1' } } },
  })).policy;
}

let db: Db;
let audit: AuditLog;
beforeEach(() => {
  // Only Date: every write path stamps its rows with new Date(), so the seed can place them in time.
  vi.useFakeTimers({ toFake: ['Date'] });
  db = openDb(':memory:');
  audit = new AuditLog(db);
});
afterEach(() => {
  vi.useRealTimers();
  db.close();
});

const at = (ms: number) => vi.setSystemTime(ms);
const iso = (ms: number) => new Date(ms).toISOString();

/** A stored lead, as the intake writes it (a received lead waiting for its run). */
function lead(createdMs: number): string {
  const id = `L${createdMs.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const data = { name: 'Dana', email: `${id}@x.example`, company: 'X', website: null, phone: null, message: 'hello there', source: 'generic', utm: {}, submitted_at: iso(createdMs - 5 * DAY), submitter_ip: null, raw_answers: {} };
  db.prepare(`INSERT INTO leads (id, provider, email, email_domain, submitter_ip, content_hash, data_json, status, correlation_id, created_at, updated_at)
    VALUES (?, 'generic', ?, 'x.example', NULL, ?, ?, 'received', ?, ?, ?)`).run(id, `${id}@x.example`, id, JSON.stringify(data), `corr-${id}`, iso(createdMs), iso(createdMs));
  return id;
}

/** The run's decision, through the real commit (decision row, outbox, lead status, audit row). */
function decide(leadId: string, action: FinalAction, atMs: number): string {
  at(atMs);
  const decision: Decision = {
    final_action: action, route: action === 'auto_route_sales' ? 'sales' : action === 'auto_route_support' ? 'support' : null,
    priority: 'medium', actions: [], held_actions: [], rules: [], needs_review: action === 'human_review', policy_hash: 'test',
  };
  return commitDecision(db, audit, { lead_id: leadId, correlation_id: `corr-${leadId}`, decision, classification: null, enrichment: null }).decision_id;
}

/** What the Slack card effect writes once a card is posted. */
function card(leadId: string, kind: 'lead' | 'review', decisionId: string, postedMs: number): void {
  db.prepare('INSERT INTO slack_cards (lead_id, card, channel, ts, decision_id, posted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(leadId, kind, 'C0SALES001', `${postedMs / 1000}`, decisionId, iso(postedMs), iso(postedMs));
}

/** The classify stage's audit row with its spend, as process-lead records it. */
function classified(leadId: string | null, atMs: number, cost: number, stage = 'classify'): void {
  at(atMs);
  audit.record({ lead_id: leadId, correlation_id: `corr-${leadId}`, stage, event: 'classified', actor: 'claude', tokens_in: 100, tokens_out: 10, cost_usd: cost });
}

function reviewAudit(leadId: string, atMs: number, actor: string, event: string): void {
  at(atMs);
  audit.record({ lead_id: leadId, correlation_id: `corr-${leadId}`, stage: 'review', event, actor });
}

function assignment(user: string, pool: string | null, over: Partial<Assignment> = {}): Assignment {
  return { user, queue: 'sales', pool, via: 'round_robin', rule: null, rotation: true, reason: 'test', candidates: [], alert: null, ...over };
}

const A = Date.parse('2026-11-29T00:00:00Z');
const B = Date.parse('2026-11-30T00:00:00Z');
const C = Date.parse('2026-12-01T00:00:00Z');

/** Three days with leads inside the 30-day window, one lead the day before it, and a week of round-robin ledger. */
function seed(policy: Policy): void {
  // The members have been in the pool all along (the first assign() stamped them).
  loadRoutingState(db, policy, NOW - 60 * DAY);

  // Before the window (2026-11-01, the window starts 2026-11-02): counts for nothing.
  const old = lead(Date.parse('2026-11-01T23:00:00Z'));
  card(old, 'lead', decide(old, 'auto_route_sales', Date.parse('2026-11-01T23:00:30Z')), Date.parse('2026-11-01T23:01:00Z'));
  classified(old, Date.parse('2026-11-01T23:00:20Z'), 5);

  // Day A, 2026-11-29.
  const l1 = lead(A + 9 * HOUR); // routed; card after 2 min; taken after 10 min
  card(l1, 'lead', decide(l1, 'auto_route_sales', A + 9 * HOUR + 30_000), A + 9 * HOUR + 2 * MINUTE);
  classified(l1, A + 9 * HOUR + 20_000, 0.25);
  at(A + 9 * HOUR + 10 * MINUTE);
  expect(claimLead(db, audit, l1, BEN, A + 9 * HOUR + 10 * MINUTE).outcome).toBe('claimed');

  const l2 = lead(A + 10 * HOUR); // routed to Ana as account owner; card after 4 min; Accept after 6 min, a review row later
  const d2 = decide(l2, 'auto_route_support', A + 10 * HOUR + 30_000);
  card(l2, 'lead', d2, A + 10 * HOUR + 4 * MINUTE);
  classified(l2, A + 10 * HOUR + 20_000, 0.5);
  recordAssignment(db, { leadId: l2, decisionId: d2, assignment: assignment(ANA, null, { via: 'account_owner', rotation: false }), now: A + 10 * HOUR + MINUTE, endReason: 'new' });
  at(A + 10 * HOUR + 6 * MINUTE);
  expect(acceptLead(db, audit, l2, ANA, 'accept button', A + 10 * HOUR + 6 * MINUTE).outcome).toBe('accepted');
  reviewAudit(l2, A + 10 * HOUR + 30 * MINUTE, ANA, 'lead_reassigned');

  const l3 = lead(A + 11 * HOUR); // spam: no card, no touch
  decide(l3, 'auto_reject_spam', A + 11 * HOUR + 30_000);
  classified(l3, A + 11 * HOUR + 20_000, 0.125);

  const l4 = lead(A + 12 * HOUR); // review card after 1 min; an SLA reminder (no touch) at 31, approved at 40
  card(l4, 'review', decide(l4, 'human_review', A + 12 * HOUR + 30_000), A + 12 * HOUR + MINUTE);
  classified(l4, A + 12 * HOUR + 20_000, 0.125);
  reviewAudit(l4, A + 12 * HOUR + 31 * MINUTE, 'system', 'review_overdue');
  reviewAudit(l4, A + 12 * HOUR + 40 * MINUTE, APPROVER, 'review_approved');

  // Received at 23:59:30 on day A, decided, classified and carded after midnight: a day-A lead, a day-B cost.
  const l5 = lead(A + DAY - 30_000);
  card(l5, 'review', decide(l5, 'human_review', A + DAY + 10_000), A + DAY + 30_000);
  classified(l5, A + DAY + 20_000, 0.0625);

  // Another stage's cost row is not model spend (as in the digest).
  classified(null, A + 13 * HOUR, 1, 'act');

  // Day B, 2026-11-30: one lead held by the kill switch, one not decided yet.
  const l6 = lead(B + 8 * HOUR);
  decide(l6, 'hold', B + 8 * HOUR + 30_000);
  classified(l6, B + 8 * HOUR + 20_000, 0.1875);
  lead(B + 9 * HOUR);

  // Day C, today: routed, card after 3 min, Ana takes it after 20 min.
  const l8 = lead(C + 9 * HOUR);
  card(l8, 'lead', decide(l8, 'auto_route_sales', C + 9 * HOUR + 30_000), C + 9 * HOUR + 3 * MINUTE);
  at(C + 9 * HOUR + 20 * MINUTE);
  claimLead(db, audit, l8, ANA, C + 9 * HOUR + 20 * MINUTE);

  // The ae pool's ledger (leads received long before the window): Ana 3, Ben 2 in the last week.
  const ledger = (user: string, ago: number, over: Partial<Assignment> = {}) => {
    const id = lead(Date.parse('2026-10-01T12:00:00Z') + ago);
    recordAssignment(db, { leadId: id, decisionId: null, assignment: assignment(user, 'ae', over), now: NOW - ago, endReason: 'new' });
    return id;
  };
  ledger(ANA, 1 * DAY); ledger(ANA, 2 * DAY); ledger(ANA, 3 * DAY);
  ledger(BEN, 1 * DAY + HOUR); ledger(BEN, 2 * DAY + HOUR);
  ledger(BEN, 9 * DAY); // before the week
  ledger(ANA, 4 * DAY, { via: 'account_owner', rotation: false }); // not rotation
  creditBackLead(db, ledger(BEN, 5 * DAY), 'rejected as spam'); // given back
  at(NOW);
}

describe('computeFigures', () => {
  it('counts each UTC day of the window from the real store', () => {
    const policy = makePolicy();
    seed(policy);
    const f = computeFigures(db, policy, NOW);

    expect(f.days).toBe(30);
    expect(f.from).toBe('2026-11-02T00:00:00.000Z');
    expect(f.to).toBe(iso(NOW));
    expect(f.per_day).toHaveLength(30);
    expect(f.per_day[0]!.day).toBe('2026-11-02');
    expect(f.per_day.at(-1)!.day).toBe('2026-12-01');
    const byDay = Object.fromEntries(f.per_day.map((d) => [d.day, d]));

    // 1 and 2: leads per day and how their first decision came out.
    const outcomes = (d: Figures['per_day'][number]) => [d.leads, d.auto_routed, d.auto_rejected, d.review, d.held, d.undecided];
    expect(outcomes(byDay['2026-11-29']!)).toEqual([5, 2, 1, 2, 0, 0]);
    expect(outcomes(byDay['2026-11-30']!)).toEqual([2, 0, 0, 0, 1, 1]);
    expect(outcomes(byDay['2026-12-01']!)).toEqual([1, 1, 0, 0, 0, 0]);
    expect(outcomes(byDay['2026-11-28']!)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(f.per_day.reduce((n, d) => n + d.leads, 0)).toBe(8);
    expect(f.totals).toMatchObject({ leads: 8, auto_routed: 3, auto_rejected: 1, review: 2, held: 1, undecided: 1 });

    // 3: speed to lead, in minutes from receipt. Day A cards 2, 4, 1, 1 (l5's after midnight still day A's).
    expect(byDay['2026-11-29']!.to_card).toEqual({ n: 4, median_minutes: 1.5, p90_minutes: 4 });
    // First touch: a claim at 10; an Accept at 6 (before a later review row at 30); an approval at 40 (the reminder at 31 is no touch).
    expect(byDay['2026-11-29']!.to_first_touch).toEqual({ n: 3, median_minutes: 10, p90_minutes: 40 });
    expect(byDay['2026-11-30']!.to_card).toEqual({ n: 0, median_minutes: null, p90_minutes: null });
    expect(byDay['2026-12-01']!.to_card).toEqual({ n: 1, median_minutes: 3, p90_minutes: 3 });
    expect(byDay['2026-12-01']!.to_first_touch).toEqual({ n: 1, median_minutes: 20, p90_minutes: 20 });
    // Over the window: cards 1, 1, 2, 3, 4; touches 6, 10, 20, 40.
    expect(f.to_card).toEqual({ n: 5, median_minutes: 2, p90_minutes: 4 });
    expect(f.to_first_touch).toEqual({ n: 4, median_minutes: 15, p90_minutes: 40 });

    // 4: classify spend by the day it was spent, per lead received that day.
    expect(byDay['2026-11-29']).toMatchObject({ cost_usd: 1, cost_per_lead_usd: 0.2, tokens_in: 400, tokens_out: 40 });
    expect(byDay['2026-11-30']).toMatchObject({ cost_usd: 0.25, cost_per_lead_usd: 0.125, tokens_in: 200, tokens_out: 20 });
    expect(byDay['2026-12-01']).toMatchObject({ cost_usd: 0, cost_per_lead_usd: 0 });
    expect(byDay['2026-11-28']).toMatchObject({ cost_usd: 0, cost_per_lead_usd: null });
    expect(f.totals).toMatchObject({ cost_usd: 1.25, cost_per_lead_usd: 1.25 / 8, tokens_in: 600, tokens_out: 60 });

    // 5: each pool's shares, exactly as /triage who computes them.
    expect(f.shares).toEqual(poolStatus(policy, loadRoutingState(db, policy, NOW), NOW));
    const [ae] = f.shares;
    expect(ae).toMatchObject({ pool: 'ae', window: 'week', total: 5, next: ANA });
    expect(ae!.members.map(({ user, name, weight, count, share, targetShare, eligible }) => ({ user, name, weight, count, share, targetShare, eligible }))).toEqual([
      { user: ANA, name: 'Ana', weight: 2, count: 3, share: 3 / 5, targetShare: 2 / 3, eligible: true },
      { user: BEN, name: 'Ben', weight: 1, count: 2, share: 2 / 5, targetShare: 1 / 3, eligible: true },
    ]);
  });

  it('honours a shorter window and an empty store', () => {
    const policy = makePolicy();
    seed(policy);
    const week = computeFigures(db, policy, NOW, 2);
    expect(week.per_day.map((d) => [d.day, d.leads])).toEqual([['2026-11-30', 2], ['2026-12-01', 1]]);
    expect(week.to_card).toEqual({ n: 1, median_minutes: 3, p90_minutes: 3 });

    const empty = openDb(':memory:');
    const f = computeFigures(empty, policy, NOW);
    expect(f.totals).toMatchObject({ leads: 0, cost_usd: 0, cost_per_lead_usd: null });
    expect(f.to_first_touch).toEqual({ n: 0, median_minutes: null, p90_minutes: null });
    expect(f.shares[0]).toMatchObject({ total: 0 });
    empty.close();
  });
});

describe('percentile', () => {
  it('is nearest-rank: always one of the values', () => {
    const v = [50, 15, 40, 20, 35];
    expect([5, 30, 40, 50, 90, 100].map((p) => percentile(v, p))).toEqual([15, 20, 20, 35, 50, 50]);
    expect(percentile(Array.from({ length: 10 }, (_, i) => i + 1), 90)).toBe(9);
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 90)).toBe(18);
    expect(percentile([], 90)).toBeNull();
  });
});

describe('figuresPage', () => {
  it('renders every figure as a table, the chart frames, and the data once, with no inline script or style', () => {
    const policy = makePolicy();
    seed(policy);
    const f = computeFigures(db, policy, NOW);
    const { text } = figuresPage(f);

    expect(text).toContain('<link rel="stylesheet" href="/console/assets/uPlot.min.css">');
    for (const name of ['leads', 'outcomes', 'speed-card', 'speed-touch', 'cost']) expect(text).toContain(`<div class="chart" data-chart="${name}"></div>`);
    expect(text.match(/<table/g)).toHaveLength(4); // outcomes, speed, cost, one per pool
    expect(text).toContain('<th scope="row">2026-11-29</th><td class="num">5</td><td class="num">2</td><td class="num">1</td><td class="num">2</td>');
    expect(text).toContain('<td class="num">4</td><td class="num">1.5 min</td><td class="num">4 min</td>');
    expect(text).toContain('<td class="num">$1.00</td><td class="num">$0.2000</td>');
    expect(text).toContain('<td class="num">60%</td><td class="num">66.7%</td><td class="num fig-under">−6.7 pts</td>');

    expect(text.match(/<script/g)).toHaveLength(1);
    expect(text).not.toMatch(/\sstyle\s*=/i);
    expect(text).not.toMatch(/\son[a-z]+\s*=/i);
    expect(JSON.parse(scriptBlock(text)!)).toEqual(JSON.parse(JSON.stringify(f)));
  });

  it('keeps a hostile name text, in the tables and in the data block', () => {
    const policy = makePolicy(HOSTILE);
    seed(policy);
    const f = computeFigures(db, policy, NOW);
    expect(f.shares[0]!.members[1]!.name).toBe(HOSTILE);
    const { text } = figuresPage(f);

    expect(text).not.toContain('</script><script>');
    expect(text).not.toContain('<script>');
    expect(text.match(/<\/script/gi)).toHaveLength(1);
    expect(text).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    const block = scriptBlock(text)!;
    expect(block).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(block).shares[0].members[1].name).toBe(HOSTILE);
  });

  it('scriptJson escapes what could end the script element or a line, and stays the same JSON', () => {
    const value = { s: `a</script>&<!--\u2028\u2029b` };
    const out = scriptJson(value);
    expect(out).toBe('{"s":"a\\u003c/script\\u003e\\u0026\\u003c!--\\u2028\\u2029b"}');
    expect(JSON.parse(out)).toEqual(value);
  });
});

describe('figures.js', () => {
  it('draws each chart container with uPlot from the data block, sized in JS, without touching innerHTML', () => {
    const policy = makePolicy(HOSTILE);
    seed(policy);
    const f = computeFigures(db, policy, NOW);
    const json = scriptBlock(figuresPage(f).text);
    const made: Array<{ opts: { width: number; height: number; series: Array<{ label?: string }> }; data: unknown[][]; el: unknown }> = [];
    const el = (name: string) => {
      const node = { dataset: { chart: name }, clientWidth: 500, textContent: 'x', classList: { add: vi.fn() } };
      Object.defineProperty(node, 'innerHTML', { set: () => { throw new Error('innerHTML used'); } });
      return node;
    };
    const charts = ['leads', 'outcomes', 'speed-card', 'speed-touch', 'cost', 'unknown'].map(el);
    class FakePlot {
      static tzDate = (d: Date) => d;
      static paths = { bars: () => 'bars' };
      constructor(opts: never, data: never, target: unknown) { made.push({ opts, data, el: target }); }
      setSize() {}
    }
    runInNewContext(readFileSync('src/console/assets/figures.js', 'utf8'), {
      uPlot: FakePlot,
      document: { readyState: 'complete', getElementById: (id: string) => (id === 'figures-data' ? { textContent: json } : null), querySelectorAll: () => charts, addEventListener() {} },
      window: { addEventListener() {}, requestAnimationFrame() {} },
    });

    expect(made).toHaveLength(5);
    expect(made.map((m) => (m.el as { dataset: { chart: string } }).dataset.chart)).toEqual(['leads', 'outcomes', 'speed-card', 'speed-touch', 'cost']);
    for (const m of made) expect(m.opts).toMatchObject({ width: 500, height: 220 });
    const xs = f.per_day.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
    expect(made[0]!.data).toEqual([xs, f.per_day.map((d) => d.leads)]);
    expect(made[1]!.opts.series.map((s) => s.label)).toEqual(['Day', 'Routed', 'Rejected', 'Review', 'Paused']);
    expect(made[2]!.data[1]).toEqual(f.per_day.map((d) => d.to_card.median_minutes));
    expect(made[3]!.data[2]).toEqual(f.per_day.map((d) => d.to_first_touch.p90_minutes));
    expect(made[4]!.data[1]).toEqual(f.per_day.map((d) => d.cost_usd));
    expect(charts[5]!.textContent).toBe('x');
  });
});

function scriptBlock(text: string): string | undefined {
  return /<script type="application\/json" id="figures-data">([\s\S]*?)<\/script>/.exec(text)?.[1];
}
