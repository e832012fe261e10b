import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { currentAssignment, type AssignmentRow } from '../../src/routing/ledger.ts';
import { testClock } from '../helpers/clock.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

// The SLA ladder across a restart, and the assignee's DM when Slack pushes back.
// At 14:00Z Ana (Berlin, 15:00) and Ben (New York, 09:00) are both at work; the sales ladder is
// remind 10m, reassign 30m, escalate 60m on working hours.

const ANA = 'U0SALES001';
const BEN = 'U0SALES002';
const SALES = 'C0SALES001';
const AT = (hhmm: string) => Date.parse(`2026-12-01T${hhmm}:00Z`);

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const buyer = {
  event_id: 'evt-ladder-1', email: 'tom.becker@helixbio.com', name: 'Tom Becker', company: 'Helix Bio', website: 'https://helixbio.com',
  message: 'Need pricing for 60 seats with SSO and a SOC 2 report. We are evaluating vendors and decide by end of month.',
};

async function routed(app: TestApp): Promise<string> {
  const { body } = await app.deliver('generic', buyer);
  await app.settle();
  const leadId = body.lead_id as string;
  expect(app.app.leads.get(leadId)?.status).toBe('routed');
  return leadId;
}

const posts = (app: TestApp, channel: string) => app.slack!.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);
const outbox = (db: App['db'], kind: string) => db.prepare('SELECT status, attempts, last_error FROM outbox WHERE kind = ? ORDER BY id').all(kind) as Array<{ status: string; attempts: number; last_error: string | null }>;

async function settle(app: App): Promise<void> {
  for (let i = 0; i < 100; i++) if ((await app.worker.drain()) === 0 && (await app.dispatcher.runOnce()) === 0) return;
  throw new Error('did not settle');
}

describe('the SLA ladder survives a restart', () => {
  it('a remind fired before the restart does not fire again; the reassign fires once, at its time', async () => {
    t = await startTestApp({ slack: true, hubspot: true, now: AT('14:00') });
    const leadId = await routed(t);
    const first = currentAssignment(t.app.db, leadId)!;
    expect(first).toMatchObject({ user_id: ANA, via: 'round_robin' });

    t.clock.set(AT('14:09'));
    expect(t.app.runSlaLadder()).toBe(0);
    t.clock.set(AT('14:11'));
    expect(t.app.runSlaLadder()).toBe(1);
    await t.settle();
    expect(t.app.audit.trail(leadId).filter((r) => r.event === 'sla_remind')).toHaveLength(1);
    const remindersToAna = posts(t, 'D0SALES001').length;
    expect(remindersToAna).toBe(2); // the assignment's DM, then the reminder
    expect(String(posts(t, 'D0SALES001')[1]!.body.text)).toBe('Reminder: Tom Becker (Helix Bio) is waiting');
    expect(outbox(t.app.db, 'slack_sla_remind')).toEqual([{ status: 'done', attempts: 1, last_error: null }]);

    // Stop the process; a new one opens the same database and policy file, with its own clock.
    await t.app.stop();
    const clock = testClock(AT('14:11'));
    const second = createApp({ config: loadConfig(t.env), loaded: loadPolicy(t.env.POLICY_PATH!), logger: silentLogger(), background: false, clock: clock.now });
    await second.start();
    const { slack, hubspot, dir } = t;
    t.stop = async () => {
      await second.stop();
      await Promise.all([slack?.close(), hubspot?.stop()]);
      rmSync(dir, { recursive: true, force: true });
    };

    expect(second.runSlaLadder()).toBe(0);
    clock.set(AT('14:29'));
    expect(second.runSlaLadder()).toBe(0);
    await settle(second);
    expect(posts(t, 'D0SALES001')).toHaveLength(remindersToAna);

    clock.set(AT('14:31'));
    expect(second.runSlaLadder()).toBe(1);
    expect(second.runSlaLadder()).toBe(0);
    await settle(second);

    const trail = second.audit.trail(leadId);
    expect(trail.filter((r) => r.event === 'sla_remind')).toHaveLength(1);
    expect(trail.filter((r) => r.event === 'sla_reassign')).toHaveLength(1);
    expect(trail.find((r) => r.event === 'sla_reassign')!.reason).toMatch(new RegExp(`^${ANA} has not accepted within 30 min \\(step 2 of the sales ladder, due 2026-12-01T14:30:`));
    const rows = second.db.prepare('SELECT * FROM assignments WHERE lead_id = ? ORDER BY id').all(leadId) as AssignmentRow[];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: first.id, user_id: ANA, credited: 1, ended_reason: 'not accepted within 30 min' });
    expect(rows[1]).toMatchObject({ user_id: BEN, via: 'round_robin', ended_at: null });
    expect(JSON.parse(rows[1]!.detail_json).candidates).toContainEqual(expect.objectContaining({ user: ANA, eligible: false, why: 'earlier assignee' }));
    expect(trail.filter((r) => r.event === 'assigned').map((r) => JSON.parse(r.output_json!).user)).toEqual([ANA, BEN]);
    expect(posts(t, 'D0SALES002')).toHaveLength(1);
    expect(String(posts(t, 'D0SALES002')[0]!.body.text)).toContain('You own a new lead: Helix Bio');
    expect(JSON.stringify(t.slack!.callsTo('chat.update').at(-1)!.body.blocks)).toContain(`<@${BEN}>`);
    // Ana gets nothing more; only one sla step row per fired step.
    expect(posts(t, 'D0SALES001')).toHaveLength(remindersToAna);
    expect(second.db.prepare('SELECT kind, assignment_id FROM sla_steps WHERE lead_id = ? ORDER BY fired_at').all(leadId)).toEqual([
      { kind: 'remind', assignment_id: first.id }, { kind: 'reassign', assignment_id: first.id },
    ]);
  });
});

describe("the assignee's DM when Slack pushes back", () => {
  it('a rate-limited conversations.open is retried through the outbox; the card is posted regardless', async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    t.slack!.failNext('conversations.open', { status: 429, retryAfter: 1 });
    const leadId = await routed(t);
    expect(currentAssignment(t.app.db, leadId)).toMatchObject({ user_id: ANA });

    expect(posts(t, SALES)).toHaveLength(1);
    expect(JSON.stringify(posts(t, SALES)[0]!.body.blocks)).toContain(`<@${ANA}>`);
    expect(posts(t, 'D0SALES001')).toHaveLength(0);
    expect(outbox(t.app.db, 'slack_assignee_dm')).toEqual([{ status: 'pending', attempts: 1, last_error: expect.stringContaining('rate limited') }]);
    expect(outbox(t.app.db, 'slack_lead_card')).toEqual([{ status: 'done', attempts: 1, last_error: null }]);

    t.app.db.prepare("UPDATE outbox SET next_attempt_at = 0 WHERE kind = 'slack_assignee_dm'").run(); // Retry-After has passed
    await t.settle();
    expect(outbox(t.app.db, 'slack_assignee_dm')).toEqual([{ status: 'done', attempts: 2, last_error: null }]);
    expect(posts(t, 'D0SALES001')).toHaveLength(1);
    expect(t.slack!.callsTo('conversations.open').map((c) => c.body.users)).toEqual([ANA, ANA]);
    expect(posts(t, SALES)).toHaveLength(1);
  });

  it('a card the bot cannot post in its queue channel (not_in_channel) goes to the review channel, saying why', async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    t.slack!.failNext('chat.postMessage', { error: 'not_in_channel' });
    const leadId = await routed(t);

    expect(t.slack!.callsTo('chat.postMessage')[0]!.body.channel).toBe(SALES);
    expect(outbox(t.app.db, 'slack_lead_card')).toEqual([{ status: 'done', attempts: 1, last_error: null }]);
    const fallback = t.slack!.messages.filter((m) => m.channel === 'C0REVIEW01');
    expect(fallback).toHaveLength(1);
    expect(JSON.stringify(fallback[0]!.blocks)).toContain(`Could not post this card in <#${SALES}> (not_in_channel): invite the bot there`);
    expect(t.app.db.prepare("SELECT channel FROM slack_cards WHERE lead_id = ? AND card = 'lead'").pluck().get(leadId)).toBe('C0REVIEW01');
    expect(currentAssignment(t.app.db, leadId)).toMatchObject({ user_id: ANA, ended_at: null });
    expect(t.slack!.messages.filter((m) => m.channel === 'D0SALES001')).toHaveLength(1);
    // The ladder's reminder goes to the owner and into the card's thread where the card now lives.
    t.clock.set(AT('10:11'));
    expect(t.app.runSlaLadder()).toBe(1);
    await t.settle();
    const remind = JSON.parse(t.app.db.prepare("SELECT result_json FROM outbox WHERE kind = 'slack_sla_remind'").pluck().get() as string);
    expect(remind).toMatchObject({ dm: 'D0SALES001', thread_ts: fallback[0]!.ts });
  });
});
