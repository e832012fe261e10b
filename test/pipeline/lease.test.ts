import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const CLASSIFICATION = {
  intent: 'buying', fit_score: 86, fit_reasoning: 'Asks for pricing for 60 seats with SSO.', confidence: 0.93,
  recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', summary_for_slack: 'Pricing for 60 seats with SSO.',
};
const buyer = { event_id: 'lease-1', email: 'tom.becker@helixbio.com', company: 'Helix Bio', message: 'Need pricing for 60 seats with SSO, deciding this month.' };

async function until(fn: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('job leases around a slow model call', () => {
  it('a classify call slower than JOB_LEASE_MS is made once: the running job keeps its lease', async () => {
    t = await startTestApp({ anthropic: true, env: { JOB_LEASE_MS: '600', WORKER_CONCURRENCY: '4' } });
    t.anthropic!.script({ tool: CLASSIFICATION, delayMs: 2_000 });
    const { body } = await t.deliver('generic', buyer);
    t.app.worker.start(20);
    await until(() => t!.app.db.prepare("SELECT status FROM jobs WHERE lead_id = ?").pluck().get(body.lead_id) === 'done', 15_000, 'the job');
    await t.app.worker.stop();
    expect(t.anthropic!.requests).toHaveLength(1);
    expect(t.app.db.prepare('SELECT COUNT(*) FROM decisions').pluck().get()).toBe(1);
    expect(t.app.db.prepare('SELECT attempts FROM jobs WHERE lead_id = ?').pluck().get(body.lead_id)).toBe(1);
  });

  it('a run whose lease was taken over mid-classify commits nothing and leaves the job to its new owner', async () => {
    t = await startTestApp({ anthropic: true });
    t.anthropic!.script({ tool: CLASSIFICATION, delayMs: 800 });
    const { body } = await t.deliver('generic', buyer);
    const leadId = body.lead_id as string;
    const run = t.app.worker.drain();
    await until(() => t!.anthropic!.requests.length === 1, 10_000, 'the model call');
    t.app.db.prepare("UPDATE jobs SET lease_owner = 'another-process:1' WHERE lead_id = ?").run(leadId);
    await run;
    const db = t.app.db;
    expect(db.prepare('SELECT COUNT(*) FROM decisions').pluck().get()).toBe(0);
    expect(db.prepare("SELECT stage FROM stage_results ORDER BY stage").pluck().all()).toEqual(['enrich', 'precheck']);
    expect(db.prepare('SELECT status, lease_owner FROM jobs WHERE lead_id = ?').get(leadId)).toEqual({ status: 'running', lease_owner: 'another-process:1' });
    expect(t.app.leads.get(leadId)?.status).toBe('processing');
    expect(t.app.audit.trail(leadId).map((r) => r.event)).not.toContain('classified');
  });
});
