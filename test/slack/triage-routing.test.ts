import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { absenceAt } from '../../src/routing/eligibility.ts';
import { loadRoutingState } from '../../src/routing/ledger.ts';
import { currentAssignment } from '../../src/routing/ledger.ts';
import { parseTriage } from '../../src/slack/triageParse.ts';
import { mentionsIn } from '../nudges/helpers.ts';
import { mrkdwnTexts } from '../helpers/slack-text.ts';
import { APPROVER, OUTSIDER, commandBody, eventBody, sampleClassification, sampleLead, seedLead, sendForm, sendJson, startHarness, waitFor, type Harness } from './harness.ts';

let h: Harness;
/** For the describes that go through Bolt (the pure parse cases need no app). */
function withHarness(): void {
  beforeEach(async () => {
    h = await startHarness();
    h.clock.set('2026-12-01T10:00:00Z'); // Tue: Ana (Berlin) and Chidi (London) at work, Ben (New York) and Dana (Los Angeles) not
  });
  afterEach(async () => { await h.close(); });
}

const ANA = 'U0SALES001', BEN = 'U0SALES002', CHIDI = 'U0SUPPORT1';
const MINUTE = 60_000;

/** Sends `/triage <text>` as `user` and returns every mrkdwn text of the reply on the response_url, joined. */
async function triage(text: string, user: string): Promise<string> {
  const before = h.fake.callsTo('response_url').length;
  expect((await sendForm(h, commandBody(h, user, text))).status).toBe(200);
  const call = await waitFor(() => h.fake.callsTo('response_url')[before]);
  expect(call.body.response_type).toBe('ephemeral');
  return mrkdwnTexts(call.body.blocks).join('\n');
}

async function home(user: string): Promise<string> {
  const before = h.fake.callsTo('views.publish').length;
  await sendJson(h, eventBody({ type: 'app_home_opened', user, channel: 'D0HOME0001', tab: 'home', event_ts: `${Date.now() / 1000}` }));
  const call = await waitFor(() => h.fake.callsTo('views.publish').slice(before).find((c) => c.body.user_id === user));
  return mrkdwnTexts((call.body.view as { blocks: unknown }).blocks).join('\n');
}

const absences = (user: string) =>
  h.db.prepare('SELECT from_at, until_at, set_by FROM absences WHERE user_id = ? ORDER BY id').all(user) as Array<{ from_at: number; until_at: number | null; set_by: string }>;
const routeEvents = () => h.db.prepare("SELECT event, actor FROM audit_log WHERE stage = 'route' AND lead_id IS NULL ORDER BY id").all();

/** The absence routing itself sees for this person now. */
const currentAbsence = (user: string, now: number) => absenceAt(loadRoutingState(h.db, h.loaded.policy, now).absences.filter((a) => a.user === user), now);

describe('parseTriage: ooo and who', () => {
  it.each([
    ['who', { cmd: 'who' }],
    ['ooo', { cmd: 'ooo', user: null, until: 'open' }],
    ['OOO Off', { cmd: 'ooo', user: null, until: 'off' }],
    ['ooo until 2026-12-24', { cmd: 'ooo', user: null, until: { date: '2026-12-24' } }],
    ['ooo <@U0SALES002|ben smith> until 2026-12-24', { cmd: 'ooo', user: 'U0SALES002', until: { date: '2026-12-24' } }],
    ['ooo <@U0SALES002> off', { cmd: 'ooo', user: 'U0SALES002', until: 'off' }],
    ['ooo U0SALES002', { cmd: 'ooo', user: 'U0SALES002', until: 'open' }],
    ['ooo @ben off', { cmd: 'usage', input: 'ooo @ben off', hint: 'ooo_user' }],
    ['ooo until', { cmd: 'usage', input: 'ooo until', hint: 'ooo_date' }],
    ['ooo until 24.12.2026', { cmd: 'usage', input: 'ooo until 24.12.2026', hint: 'ooo_date' }],
    ['ooo off now', { cmd: 'usage', input: 'ooo off now', hint: 'ooo' }],
    ['who now', { cmd: 'usage', input: 'who now' }],
  ])('%j', (text, expected) => {
    expect(parseTriage(text)).toEqual(expected);
  });
});

describe('/triage ooo', () => {
  withHarness();

  it('for oneself: until switched off, until a date in their own zone, and off; new leads skip them meanwhile', async () => {
    expect(await triage('ooo', ANA)).toBe(':palm_tree: You are out of office until switched off with `/triage ooo off`; new leads skip you and you will not be flooded on return.');
    const [open] = absences(ANA);
    expect(open).toMatchObject({ until_at: null, set_by: ANA });
    expect(Math.abs(open!.from_at - Date.parse('2026-12-01T10:00:00Z'))).toBeLessThan(MINUTE);

    // A date ends the absence at the start of that day in Berlin, replacing the open-ended one.
    expect(await triage('ooo until 2026-12-24', ANA)).toBe(':palm_tree: You are out of office until Thu 24 Dec; new leads skip you and you will not be flooded on return.');
    const rows = absences(ANA);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.until_at).toBe(rows[1]!.from_at);
    expect(rows[1]!.until_at).toBe(Date.parse('2026-12-23T23:00:00Z'));
    expect(currentAbsence(ANA, h.clock.now())).toMatchObject({ user: ANA, until: Date.parse('2026-12-23T23:00:00Z') });

    // Ben is asleep in New York and Ana is away: the lead goes to the queue channel unassigned.
    const { leadId } = seedLead(h, sampleLead(), sampleClassification({ confidence: 0.92 }));
    expect(currentAssignment(h.db, leadId)).toMatchObject({ user_id: null, via: 'fallback' });
    expect(JSON.parse(currentAssignment(h.db, leadId)!.detail_json).candidates[0]).toMatchObject({ user: ANA, eligible: false, why: 'away until 2026-12-24' });

    expect(await triage('ooo off', ANA)).toBe(':wave: Welcome back: you are in the rotation again, holding your place (no catch-up flood).');
    expect(absences(ANA).every((r) => r.until_at !== null && r.until_at <= h.clock.now())).toBe(true);
    expect(currentAbsence(ANA, h.clock.now())).toBeNull();
    expect(await triage('ooo off', ANA)).toBe(':information_source: You were not out of office. Nothing was changed.');
    expect(routeEvents()).toEqual([
      { event: 'absence_set', actor: ANA }, { event: 'absence_set', actor: ANA }, { event: 'absence_ended', actor: ANA },
    ]);
  });

  it('refuses dates that are not YYYY-MM-DD, not real, or already begun, changing nothing', async () => {
    expect(await triage('ooo until 2026-02-30', ANA)).toContain('`2026-02-30` is not a date: use YYYY-MM-DD');
    expect(await triage('ooo until 2026-12-01', ANA)).toContain('`2026-12-01` has already begun');
    const tomorrow = await triage('ooo until tomorrow', ANA);
    expect(tomorrow).toContain('Unknown command `ooo until tomorrow`');
    expect(tomorrow).toContain('Give the date as YYYY-MM-DD');
    expect(absences(ANA)).toEqual([]);
  });

  it('approvers set it for someone else; anyone else is refused and nothing changes', async () => {
    expect(await triage(`ooo <@${BEN}|ben> until 2026-12-24`, APPROVER))
      .toBe(`:palm_tree: <@${BEN}> is out of office until Thu 24 Dec; new leads skip them and they will not be flooded on return.`);
    // Midnight in New York.
    expect(absences(BEN)).toEqual([expect.objectContaining({ until_at: Date.parse('2026-12-24T05:00:00Z'), set_by: APPROVER })]);

    expect(await triage(`ooo <@${ANA}> until 2026-12-24`, OUTSIDER)).toBe(":lock: Only approvers can set or end someone else's out of office. Nothing was changed.");
    expect(await triage(`ooo <@${BEN}> off`, ANA)).toContain('Only approvers');
    expect(absences(ANA)).toEqual([]);
    expect(absences(BEN)[0]!.until_at).toBe(Date.parse('2026-12-24T05:00:00Z'));

    expect(await triage(`ooo ${BEN} off`, APPROVER)).toBe(`:wave: <@${BEN}> is in the rotation again, holding their place (no catch-up flood).`);
    expect(currentAbsence(BEN, h.clock.now())).toBeNull();
    expect(routeEvents()).toEqual([{ event: 'absence_set', actor: APPROVER }, { event: 'absence_ended', actor: APPROVER }]);

    // A typed name Slack did not turn into an id, or anything after it, is never read as a person or a mention.
    expect(await triage('ooo @ben off', APPROVER)).toContain('pick them from the @ list');
    const forged = await triage(`ooo <@${BEN}|x> <!channel> until 2026-12-24`, APPROVER);
    expect(forged).toContain('&lt;!channel&gt;');
    expect(mentionsIn(forged)).toEqual([]);
    expect(absences(BEN)).toHaveLength(1);
  });
});

function insertLead(): string {
  const id = randomUUID();
  const at = new Date(h.clock.now()).toISOString();
  h.db.prepare(`INSERT INTO leads (id, provider, email, email_domain, submitter_ip, content_hash, data_json, status, correlation_id, created_at, updated_at)
    VALUES (?, 'generic', ?, 'x.example', NULL, ?, '{}', 'routed', ?, ?, ?)`).run(id, `${id}@x.example`, randomUUID(), `corr-${id}`, at, at);
  return id;
}

function assignRows(user: string, n: number, pool: string, at: number): void {
  const insert = h.db.prepare(`INSERT INTO assignments (lead_id, user_id, queue, pool, via, rotation, reason, detail_json, assigned_at, ended_at)
    VALUES (?, ?, 'sales', ?, 'round_robin', 1, 'seeded', '{}', ?, ?)`);
  for (let i = 0; i < n; i++) insert.run(insertLead(), user, pool, at + i * MINUTE, at + i * MINUTE + 1);
}

describe('/triage who', () => {
  withHarness();

  it('shows who is next in each pool, who is away or off hours and why, and shares against target', async () => {
    const now = h.clock.now();
    assignRows(ANA, 5, 'ae', now - 2 * 86_400_000);
    assignRows(BEN, 3, 'ae', now - 3 * 86_400_000);
    assignRows(BEN, 4, 'ae', now - 9 * 86_400_000); // before the week's window
    await triage('ooo', CHIDI);
    // Names come from a hand-edited file: they must not become mentions.
    h.loaded.policy.people[BEN]!.name = 'Ben <!channel> <@U0EVIL0001>';

    const who = await triage('who', OUTSIDER);
    expect(who).toContain('*ae* pool · last 7 days: 8 leads · next: *Ana*');
    expect(who).toContain('• *Ana* (weight 2): 5 of 8 (63%, target 67%) · :large_green_circle: eligible');
    expect(who).toMatch(/• \*Ben &lt;!channel&gt; &lt;@U0EVIL0001&gt;\* \(weight 1\): 3 of 8 \(38%, target 33%\) · :crescent_moon: off hours \(Tue 05:0\d in America\/New_York\)/);
    expect(who).toContain('*support* pool · last 24 h: 0 leads · next: nobody eligible → posted unassigned in the queue channel, <@U0APPROVE2> alerted');
    expect(who).toContain('• *Chidi* (weight 1): 0 of 0 (—, target 50%) · :palm_tree: away until further notice');
    expect(who).toMatch(/• \*Dana\* \(weight 1\): 0 of 0 \(—, target 50%\) · :crescent_moon: off hours \(Tue 02:0\d in America\/Los_Angeles\)/);
    expect(who).toContain('*dach* pool · last 7 days: 0 leads · next: *Ana*');
    expect(mentionsIn(who)).toEqual(['@U0APPROVE2']);
  });
});

describe('App Home', () => {
  withHarness();

  it('lists my leads with their SLA clocks; the fairness ledger only for approvers and pool managers', async () => {
    const first = seedLead(h, sampleLead(), sampleClassification({ confidence: 0.92 }));
    // A submitter's company as stored (the pipeline would hold this one for review): it must stay inert text.
    h.db.prepare("UPDATE leads SET data_json = json_set(data_json, '$.company', ?) WHERE id = ?").run('Evil <!channel> <@U0EVIL0001> Co', first.leadId);
    h.clock.advance(5 * MINUTE);
    const second = seedLead(h, sampleLead({ email: 'eve@other.example', company: 'Other' }), sampleClassification({ confidence: 0.92 }));
    const a1 = currentAssignment(h.db, first.leadId)!;
    const a2 = currentAssignment(h.db, second.leadId)!;
    expect([a1.user_id, a2.user_id]).toEqual([ANA, ANA]);
    // The first lead's reminder has fired: its clock moves on to the reassign step, 30 working minutes after assignment.
    h.db.prepare("INSERT INTO sla_steps (assignment_id, step, lead_id, kind, due_at, fired_at) VALUES (?, 0, ?, 'remind', ?, ?)")
      .run(a1.id, first.leadId, a1.assigned_at + 10 * MINUTE, a1.assigned_at + 10 * MINUTE);
    const date = (ms: number) => `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${new Date(ms).toISOString()}>`;

    const mine = await home(ANA);
    expect(mine).toContain('*My leads (2)*');
    const [newer, older] = mine.split('\n').filter((l) => l.startsWith('• ') && l.includes('assigned'));
    expect(newer).toContain(`\`${second.leadId}\``);
    expect(newer).toContain(`:hourglass: not accepted · remind (step 1) due ${date(a2.assigned_at + 10 * MINUTE)}`);
    expect(older).toContain('Evil &lt;!channel&gt; &lt;@U0EVIL0001&gt; Co');
    expect(older).toContain(`:hourglass: not accepted · reassign (step 2) due ${date(a1.assigned_at + 30 * MINUTE)}`);
    expect(mentionsIn(mine)).toEqual([]);
    expect(mine).toContain('Pending reviews');
    expect(mine).toContain('Today (UTC)');
    expect(mine).not.toContain('Fairness ledger');

    h.db.prepare("UPDATE assignments SET accepted_at = ?, accepted_how = 'accept' WHERE id = ?").run(a2.assigned_at + MINUTE, a2.id);
    expect(await home(ANA)).toContain(`:white_check_mark: accepted ${date(a2.assigned_at + MINUTE)}`);

    const approver = await home(APPROVER);
    expect(approver).toContain('*My leads*: none');
    expect(approver).toContain('Fairness ledger');
    expect(approver).toContain('• *Ana* (weight 2): 2 of 2 (100%, target 67%)');
    expect(approver).toContain('*support* pool');

    // A manager who is not an approver sees the pools they manage only.
    h.loaded.policy.pools.support!.manager = 'U0MANAGER9';
    const manager = await home('U0MANAGER9');
    expect(manager).toContain('Fairness ledger');
    expect(manager).toContain('*support* pool');
    expect(manager).not.toContain('*ae* pool');
    expect(await home(OUTSIDER)).not.toContain('Fairness ledger');
    console.log('CALLS', h.fake.calls.map((c) => c.method + ':' + String(c.body.user_id ?? c.body.channel ?? '')).join(' '));
  });
});
