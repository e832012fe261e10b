import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/cli/commands/check-config.ts';
import { queueErasure } from '../../src/privacy/eraseJob.ts';
import { emailHash } from '../../src/privacy/person.ts';
import { retentionDue, retentionOutlook, runRetention } from '../../src/privacy/retention.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { runCommand } from '../helpers/command.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const lead = (n: number) => ({
  event_id: `rt-${n}`, name: `Person ${n}`, email: `person${n}@retained-${n}.example`, company: `Retained ${n}`,
  message: `We need pricing for ${20 + n} seats and a SOC 2 report; we decide this month.`,
});

const DAY = 86_400_000;

describe('retention_days erases old leads the way an erasure on request does', () => {
  it('queues only leads past the retention, erases them, is idempotent, and says when the next one goes', async () => {
    t = await startTestApp();
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await t.deliver('generic', lead(n))).body.lead_id as string);
    await t.settle();
    const db = t.app.db;
    const now = Date.now();
    // Two leads are 400 and 380 days old (the table is not append-only; created_at is when the lead came in).
    db.prepare('UPDATE leads SET created_at = ? WHERE id = ?').run(new Date(now - 400 * DAY).toISOString(), ids[0]);
    db.prepare('UPDATE leads SET created_at = ? WHERE id = ?').run(new Date(now - 380 * DAY).toISOString(), ids[1]);

    const outlook = retentionOutlook(db, 365, now);
    expect(outlook).toMatchObject({ retentionDays: 365, expiredNow: 2 });
    expect(Date.parse(outlook.next!.erased_from)).toBeGreaterThan(now + 364 * DAY);

    // check-config says the rule, what is past it now and when the next one goes.
    const { code, out } = await runCommand(checkConfig, [], t.env);
    expect(code).toBe(0);
    expect(out.filter((l) => l.startsWith('retention: '))).toEqual([
      'retention: leads older than 365 days are erased like an erasure on request (every personal field; the audit log keeps its figures), checked hourly, up to 2000 leads a run',
      expect.stringMatching(/^retention: 2 leads are past it \(received before \d{4}-\d{2}-\d{2}\): erased at the next run; the next is erased from \d{4}-\d{2}-\d{2} \(received \d{4}-\d{2}-\d{2}\)$/),
    ]);

    expect(retentionDue(db, now)).toBe(true);
    expect(runRetention(db, t.app.audit, 365, now)).toMatchObject({ queued: 2, more: false });
    expect(retentionDue(db, now + 60_000)).toBe(false);
    // A second run before the jobs ran queues nothing new.
    expect(runRetention(db, t.app.audit, 365, now).queued).toBe(0);
    await t.settle();
    expect(ids.map((id) => t!.app.leads.get(id)?.lead.email ?? null)).toEqual([null, null, 'person3@retained-3.example']);
    // On disk too: the file and its WAL hold nothing of the two, and still the third.
    const dbPath = t.env.DATABASE_PATH!;
    const bytes = Buffer.concat([readFileSync(dbPath), existsSync(`${dbPath}-wal`) ? readFileSync(`${dbPath}-wal`) : Buffer.alloc(0)]);
    const onDisk = (s: string) => bytes.includes(Buffer.from(s, 'utf8'));
    expect(['person1@retained-1.example', 'Person 1', 'Retained 1', 'person2@retained-2.example', '22 seats'].filter(onDisk)).toEqual([]);
    expect(['person3@retained-3.example', '23 seats'].filter(onDisk)).toHaveLength(2);
    const erased = db.prepare("SELECT lead_id, decision, actor FROM audit_log WHERE event = 'erased' ORDER BY id").all();
    expect(erased).toEqual([{ lead_id: ids[0], decision: 'retention', actor: 'system' }, { lead_id: ids[1], decision: 'retention', actor: 'system' }]);
    expect(runRetention(db, t.app.audit, 365, now).queued).toBe(0);
    expect(retentionOutlook(db, 365, now).expiredNow).toBe(0);
  });

  it('an erasure interrupted by a crash (its job claimed, the process gone) completes when the worker runs again', async () => {
    t = await startTestApp();
    const id = (await t.deliver('generic', lead(7))).body.lead_id as string;
    await t.settle();
    const db = t.app.db;
    queueErasure(db, [id], { why: 'request', by: 'cli', emailHash: emailHash('person7@retained-7.example') });
    // What a SIGKILL mid-job leaves: the job running under a lease nobody renews any more.
    db.prepare("UPDATE jobs SET status = 'running', attempts = 1, lease_owner = 'dead-worker', lease_until = ? WHERE kind = 'erase_lead'").run(Date.now() - 1);
    expect(t.app.leads.get(id)).not.toBeNull();
    await t.settle();
    expect(t.app.leads.get(id)).toBeNull();
    expect(db.prepare("SELECT status FROM jobs WHERE kind = 'erase_lead'").pluck().get()).toBe('done');
  });
});
