import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startAnthropicFake } from '../fakes/anthropic.ts';
import { HubspotFake } from '../fakes/hubspot.ts';
import { signWebhook } from '../helpers/sign.ts';
import { startServerProcess } from '../helpers/server-process.ts';

const CLASSIFICATION = {
  intent: 'buying', fit_score: 86, fit_reasoning: 'Asks for pricing for 60 seats with SSO.', confidence: 0.93,
  recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', summary_for_slack: 'Pricing for 60 seats with SSO.',
};

async function until<T>(fn: () => T | undefined | null | false, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a server process killed with SIGKILL in the middle of a job', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lt-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finishes that job exactly once after restart, resuming from its checkpoints', async () => {
    const anthropic = await startAnthropicFake();
    const hubspot = new HubspotFake();
    const env = {
      DATABASE_PATH: join(dir, 'crash.sqlite'), WEBHOOK_SECRET: 'crash-secret', ENRICH_WEBSITE_FETCH: 'false', JOB_LEASE_MS: '1000',
      ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url, HUBSPOT_ACCESS_TOKEN: hubspot.token, HUBSPOT_BASE_URL: await hubspot.start(),
    };
    try {
      // The model call hangs long enough for the kill to land mid-classify, after precheck and enrich were checkpointed.
      anthropic.script({ tool: CLASSIFICATION, delayMs: 10_000 });
      const first = await startServerProcess(env);
      const body = JSON.stringify({ event_id: 'crash-1', email: 'tom.becker@helixbio.com', company: 'Helix Bio', message: 'Need pricing for 60 seats with SSO, deciding this month.' });
      const res = await fetch(`${first.url}/webhooks/generic`, { method: 'POST', body, headers: signWebhook('generic', 'crash-secret', body) });
      expect(res.status).toBe(202);
      const { lead_id: leadId } = (await res.json()) as { lead_id: string };
      await until(() => anthropic.requests.length === 1, 10_000, 'the model call');
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));

      const db = new Database(env.DATABASE_PATH);
      const stagesBefore = db.prepare('SELECT stage FROM stage_results ORDER BY stage').pluck().all();
      expect(stagesBefore).toEqual(['enrich', 'precheck']);
      expect(db.prepare("SELECT status FROM jobs WHERE lead_id = ?").pluck().get(leadId)).toBe('running');
      expect(db.prepare('SELECT COUNT(*) FROM decisions').pluck().get()).toBe(0);

      anthropic.script({ tool: CLASSIFICATION });
      const second = await startServerProcess(env);
      try {
        await until(() => db.prepare("SELECT COUNT(*) FROM outbox WHERE status = 'done'").pluck().get() === 5 && hubspot.store.tasks.size === 1, 30_000, 'the effects');
      } finally {
        await second.stop();
      }
      expect(db.prepare('SELECT status, attempts FROM jobs WHERE lead_id = ?').get(leadId)).toEqual({ status: 'done', attempts: 2 });
      expect(db.prepare('SELECT COUNT(*) FROM decisions WHERE lead_id = ?').pluck().get(leadId)).toBe(1);
      expect(db.prepare("SELECT kind FROM outbox WHERE lead_id = ? ORDER BY kind").pluck().all(leadId))
        .toEqual(['crm_add_note', 'crm_create_task', 'crm_upsert_contact', 'email_ack', 'slack_lead_card']);
      const events = db.prepare('SELECT event FROM audit_log WHERE lead_id = ?').pluck().all(leadId) as string[];
      expect(events.filter((e) => e === 'precheck')).toHaveLength(1);
      expect(events.filter((e) => e === 'enriched')).toHaveLength(1);
      expect(events.filter((e) => e === 'classified')).toHaveLength(1);
      expect(events.filter((e) => e === 'decision_committed')).toHaveLength(1);
      expect(anthropic.requests).toHaveLength(2);
      expect(hubspot.store.contacts.size).toBe(1);
      expect(hubspot.store.notes.size).toBe(1);
      db.close();
    } finally {
      await anthropic.close();
      await hubspot.stop();
    }
  }, 90_000);
});
