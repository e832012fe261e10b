import { describe, expect, it } from 'vitest';
import { EFFECT_KINDS, formatCrashReport, KILL_POINTS, runCrashRounds, type CrashReport, type KillPoint } from '../helpers/crash-rounds.ts';

/**
 * `lead-triage serve` runs as its own process and is SIGKILLed once per round, with the call in flight: the
 * fake has received the request, done its part (stored the contact, note, task, message or mail) and holds
 * its answer. After each restart the round must finish, and at the end the fakes (not our database) must
 * hold exactly one contact, note, task, Slack card and ack email per lead. `npm run crash` runs many more.
 */
describe('a server process SIGKILLed at each kill point across classify and every effect', () => {
  // One round per targeted kill point, then two at random delays after delivery.
  const points: KillPoint[] = [...KILL_POINTS.filter((p) => p !== 'random'), 'random', 'random'];
  let report: CrashReport;

  it('lands every kill with the call in flight and recovers each round', async () => {
    report = await runCrashRounds({ rounds: points.length, pointFor: (r) => points[r]!, seed: 20_240_611, waitMs: 30_000 });
    const table = formatCrashReport(report);
    expect(report.rounds.map((r) => r.point)).toEqual(points);
    for (const r of report.rounds) {
      expect(r.recovered, `round ${r.round + 1} (${r.point}) recovered\n${table}`).toBe(true);
      if (r.point === 'random') continue;
      expect({ point: r.point, landed: r.landed, received: r.receivedAtKill, held: r.heldAtKill }, table)
        .toEqual({ point: r.point, landed: true, received: true, held: true });
    }
    const round = (p: KillPoint) => report.rounds.find((r) => r.point === p)!;
    // The killed call's effect looked for what it had done instead of calling again.
    expect(round('note_create').lookups.hubspotAssociations).toBeGreaterThanOrEqual(1);
    expect(round('task_create').lookups.hubspotAssociations).toBeGreaterThanOrEqual(1);
    expect(round('slack_card').lookups.slackHistory).toBeGreaterThanOrEqual(1);
    // Killed mid-classify: that lead's model call is made again (nothing was checkpointed), not a duplicate effect.
    const classified = report.leads.filter((l) => l.point === 'classify');
    expect(classified.some((l) => l.modelCalls === 2)).toBe(true);
    expect(report.leads.every((l) => l.modelCalls >= 1)).toBe(true);
  }, 300_000);

  it('leaves zero duplicated and zero lost effects of each kind, per lead, as the fakes saw them', () => {
    expect(report, 'the rounds ran').toBeDefined();
    const table = formatCrashReport(report);
    expect(report.leads).toHaveLength(points.length * 3);
    for (const kind of EFFECT_KINDS) {
      expect({ kind, duplicated: report.kinds[kind].duplicated, lost: report.kinds[kind].lost }, table).toEqual({ kind, duplicated: 0, lost: 0 });
      expect(report.kinds[kind].expected, table).toBe(report.leads.length * (kind === 'hubspot_note' ? 2 : 1));
      expect(report.kinds[kind].delivered, table).toBe(report.kinds[kind].expected);
    }
    expect(report.problems, table).toEqual([]);
    // SMTP cannot be asked: the mail accepted as the process died is sent again, with the same Message-ID.
    const smtpLeads = report.leads.filter((l) => l.point === 'smtp_send');
    expect(smtpLeads.reduce((n, l) => n + l.emailResent, 0)).toBe(1);
    for (const l of report.leads.filter((x) => x.emailResent > 0)) expect(new Set(l.messageIds).size).toBe(1);
  });

  it('leaves the database consistent: one decision per lead, nothing processing, running or dead', () => {
    expect(report, 'the rounds ran').toBeDefined();
    expect(report.db).toEqual({
      leadsWithoutOneDecision: [], leadStatuses: { routed: points.length * 3 }, processingLeads: [], runningJobs: 0, openJobs: 0, deadOutbox: [], openOutbox: 0,
    });
  });
});
