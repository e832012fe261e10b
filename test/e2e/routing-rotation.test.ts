import { afterEach, describe, expect, it } from 'vitest';
import { currentAssignment } from '../../src/routing/ledger.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

// Weighted round robin over a run of leads, and the daily cap's fallback. At 15:00Z both AEs are at work:
// Ana (Berlin, 16:00, weight 2) and Ben (New York, 10:00, weight 1).

const ANA = 'U0SALES001';
const BEN = 'U0SALES002';
const MANAGER = 'U0APPROVE1';
const BOTH_AT_WORK = Date.parse('2026-12-01T15:00:00Z');

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

// Distinct people at distinct companies: no CRM record, no account owner, nothing but the rotation decides.
const buyer = (n: number) => ({
  event_id: `evt-rr-${n}`, email: `buyer${n}@company${n}.com`, name: `Buyer ${n}`, company: `Company ${n}`, website: `https://company${n}.com`,
  message: 'Need pricing for 60 seats with SSO and a SOC 2 report. We are evaluating vendors and decide by end of month.',
});

/** Delivers buyers 1..n one by one, each settled before the next; returns their lead ids. */
async function deliverAll(app: TestApp, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) {
    const { status, body } = await app.deliver('generic', buyer(i));
    expect(status).toBe(202);
    await app.settle();
    ids.push(body.lead_id as string);
  }
  return ids;
}

const owners = (app: TestApp, ids: string[]) => ids.map((id) => currentAssignment(app.app.db, id)?.user_id ?? null);
const count = (list: Array<string | null>, who: string | null) => list.filter((u) => u === who).length;
const why = (reason: string | null | undefined) => String(reason ?? '').split(' — considered: ')[0];

describe('weighted round robin over a sequence of leads', () => {
  it('splits six leads 4 to Ana (weight 2) and 2 to Ben (weight 1), each a rotation entry with its figures', async () => {
    t = await startTestApp({ slack: true, hubspot: true, now: BOTH_AT_WORK });
    const ids = await deliverAll(t, 6);
    for (const id of ids) expect(t.app.leads.get(id)?.status).toBe('routed');
    const who = owners(t, ids);
    expect({ ana: count(who, ANA), ben: count(who, BEN) }).toEqual({ ana: 4, ben: 2 });
    // Never two in a row to Ben: shortfall against the 2:1 share keeps him at most every other lead.
    expect(who.some((u, i) => u === BEN && who[i + 1] === BEN)).toBe(false);

    const rows = t.app.db.prepare("SELECT user_id, via, rotation, credited, reason FROM assignments WHERE queue = 'sales' ORDER BY id").all() as Array<{ user_id: string; via: string; rotation: number; credited: number; reason: string }>;
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r).toMatchObject({ via: 'round_robin', rotation: 1, credited: 0 });
    // Each reason counts the person's own day: Ana's 4th and Ben's 2nd.
    expect(rows.filter((r) => r.user_id === ANA).map((r) => r.reason)).toEqual([1, 2, 3, 4].map((n) => `round robin in ae pool: ${['1st', '2nd', '3rd', '4th'][n - 1]} of 8 today, weight 2`));
    expect(rows.filter((r) => r.user_id === BEN).map((r) => r.reason)).toEqual(['round robin in ae pool: 1st of 8 today, weight 1', 'round robin in ae pool: 2nd of 8 today, weight 1']);

    // One DM per lead, to its owner.
    const dms = t.slack!.callsTo('chat.postMessage').filter((c) => String(c.body.channel).startsWith('D'));
    expect({ ana: dms.filter((c) => c.body.channel === 'D0SALES001').length, ben: dms.filter((c) => c.body.channel === 'D0SALES002').length }).toEqual({ ana: 4, ben: 2 });
  });

  it('with per_day 2, gives Ana 2 and Ben 2, then posts the 5th unassigned and alerts the manager that both are capped', async () => {
    t = await startTestApp({
      slack: true, hubspot: true, now: BOTH_AT_WORK,
      policy: (text) => {
        const edited = text.replace('"caps": { "per_day": 8, "per_week": 30 }', '"caps": { "per_day": 2, "per_week": 30 }');
        expect(edited).not.toBe(text);
        return edited;
      },
    });
    const ids = await deliverAll(t, 5);
    for (const id of ids) expect(t.app.leads.get(id)?.status).toBe('routed');
    const who = owners(t, ids);
    expect({ ana: count(who, ANA), ben: count(who, BEN) }).toEqual({ ana: 2, ben: 2 });
    expect(who[4]).toBeNull();

    const fifth = currentAssignment(t.app.db, ids[4]!)!;
    expect(fifth).toMatchObject({ user_id: null, via: 'fallback', rotation: 0, pool: 'ae', queue: 'sales' });
    expect(fifth.reason).toBe('nobody in ae is eligible (Ana: capped 2/2 today; Ben: capped 2/2 today) → queue channel, unassigned; alert to U0APPROVE1');
    expect(JSON.parse(fifth.detail_json)).toMatchObject({ alert: MANAGER, candidates: [{ user: ANA, eligible: false, why: 'capped 2/2 today' }, { user: BEN, eligible: false, why: 'capped 2/2 today' }] });
    const audited = t.app.audit.trail(ids[4]!).find((r) => r.event === 'assigned_fallback')!;
    expect(audited).toMatchObject({ stage: 'route', decision: 'fallback' });
    expect(why(audited.reason)).toBe(fifth.reason);

    // Never a silent drop: the card is in the queue channel, the manager is told why.
    const posts = t.slack!.callsTo('chat.postMessage');
    const cards = posts.filter((c) => c.body.channel === 'C0SALES001');
    expect(cards).toHaveLength(5);
    expect(JSON.stringify(cards[4]!.body.blocks)).toContain(ids[4]!);
    const alerts = posts.filter((c) => c.body.channel === 'D0APPROVE1');
    expect(alerts).toHaveLength(1);
    const alertText = JSON.stringify(alerts[0]!.body.blocks);
    expect(alertText).toContain(`<@${MANAGER}> nobody could be assigned Company 5`);
    expect(alertText).toContain('Ana: capped 2/2 today; Ben: capped 2/2 today');
    expect(String(alerts[0]!.body.text)).toBe('Nobody could be assigned Company 5');
    // Nobody else got a DM for the 5th.
    expect(posts.filter((c) => String(c.body.channel).startsWith('D')).map((c) => c.body.channel).sort()).toEqual(['D0APPROVE1', 'D0SALES001', 'D0SALES001', 'D0SALES002', 'D0SALES002']);
  });
});
