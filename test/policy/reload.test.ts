import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { watchPolicy } from '../../src/policy/watch.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buyer } from './fixtures.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const policyFile = (app: TestApp) => join(app.dir, 'policy.json');
const edit = (app: TestApp, from: string, to: string) => {
  const text = readFileSync(policyFile(app), 'utf8');
  expect(text).toContain(from);
  writeFileSync(policyFile(app), text.replace(from, to));
};
const audits = (app: TestApp, event: string) =>
  app.app.db.prepare('SELECT reason, output_json FROM audit_log WHERE event = ? ORDER BY id').all(event) as Array<{ reason: string | null; output_json: string }>;
const notices = (app: TestApp) =>
  (app.app.db.prepare("SELECT payload_json FROM outbox WHERE kind = 'slack_notice' ORDER BY id").pluck().all() as string[]).map((p) => JSON.parse(p) as { channel: string; text: string });

describe('policy hot reload', () => {
  it('loads a valid change without a restart: audited, logged, told to the review channel, and new leads use it', async () => {
    t = await startTestApp();
    const before = t.loaded.hash;
    edit(t, '"confidence_floor": 0.75', '"confidence_floor": 0.9');
    const out = t.app.reloadPolicy();
    expect(out).toMatchObject({ outcome: 'reloaded', from: before });
    const after = t.loaded.hash;
    expect(after).not.toBe(before);
    expect(t.loaded.policy.thresholds.confidence_floor).toBe(0.9);
    expect(JSON.parse(audits(t, 'policy_reloaded')[0]!.output_json)).toMatchObject({ from: before, to: after });
    expect(notices(t)).toEqual([expect.objectContaining({ channel: t.loaded.policy.routing.review_channel, text: expect.stringContaining(`\`${before}\` → \`${after}\``) })]);
    // Nothing changed: nothing happens.
    expect(t.app.reloadPolicy()).toEqual({ outcome: 'unchanged' });

    const res = await t.deliver('generic', { email: 'ana@bigcorp.example', company: 'BigCorp', message: 'We need pricing for 60 seats with SSO and a demo this month.' });
    await t.settle();
    expect(t.app.db.prepare('SELECT policy_hash FROM decisions WHERE lead_id = ?').pluck().get(res.body.lead_id)).toBe(after);
  });

  it('refuses an invalid change with check-config\'s line, keeps the active policy, and says so once', async () => {
    t = await startTestApp();
    const active = t.loaded.hash;
    edit(t, '"confidence_floor": 0.75', '"confidence_floor": 7.5');
    const out = t.app.reloadPolicy();
    expect(out.outcome).toBe('refused');
    expect((out as { reason: string }).reason).toBe(`${policyFile(t)}: thresholds.confidence_floor: Too big: expected number to be <=1`);
    expect(t.loaded.hash).toBe(active);
    expect(t.loaded.policy.thresholds.confidence_floor).toBe(0.75);
    t.app.reloadPolicy(); // an editor saving the same broken file again
    expect(audits(t, 'policy_reload_refused')).toHaveLength(2);
    expect(notices(t)).toHaveLength(1);
    expect(notices(t)[0]!.text).toContain(`policy \`${active}\` stays active`);

    // A policy that parses but that start-up would refuse (its email template is missing) is refused too.
    writeFileSync(policyFile(t), readFileSync(policyFile(t), 'utf8').replace('"confidence_floor": 7.5', '"confidence_floor": 0.75').replace('"template": "ack-default"', '"template": "ack-gone"'));
    expect(t.app.reloadPolicy()).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('email.template: email template') });
    expect(t.loaded.hash).toBe(active);
  });

  it('a lead already in the pipeline finishes under the policy it started with', async () => {
    t = await startTestApp({ anthropic: true });
    const before = t.loaded.hash;
    t.anthropic!.script({ tool: { ...buyer, confidence: 0.8 }, delayMs: 400 });
    const res = await t.deliver('generic', { email: 'ana@bigcorp.example', company: 'BigCorp', message: 'We need pricing for 60 seats with SSO and a demo this month.' });
    const running = t.app.worker.drain();
    for (let i = 0; i < 100 && !t.anthropic!.requests.some((r) => r.held); i++) await new Promise((r) => setTimeout(r, 10));
    edit(t, '"confidence_floor": 0.75', '"confidence_floor": 0.9');
    expect(t.app.reloadPolicy().outcome).toBe('reloaded');
    await running;
    const d = t.app.db.prepare('SELECT policy_hash, final_action FROM decisions WHERE lead_id = ?').get(res.body.lead_id) as { policy_hash: string; final_action: string };
    // Decided at 0.8 under the 0.75 floor it started with, not held under the new 0.9 floor.
    expect(d).toEqual({ policy_hash: before, final_action: 'auto_route_sales' });
  });

  it('the watcher reloads when the file is replaced the way editors save it', async () => {
    t = await startTestApp();
    const deps = { loaded: t.loaded, config: loadConfig(t.env), db: t.app.db, audit: t.app.audit, logger: silentLogger() };
    const watcher = watchPolicy(deps, 50);
    try {
      await watcher.ready;
      const text = readFileSync(policyFile(t), 'utf8').replace('"confidence_floor": 0.75', '"confidence_floor": 0.8');
      writeFileSync(`${policyFile(t)}.tmp`, text);
      renameSync(`${policyFile(t)}.tmp`, policyFile(t));
      for (let i = 0; i < 100 && t.loaded.policy.thresholds.confidence_floor !== 0.8; i++) await new Promise((r) => setTimeout(r, 50));
      expect(t.loaded.policy.thresholds.confidence_floor).toBe(0.8);
      expect(audits(t, 'policy_reloaded')).toHaveLength(1);
    } finally {
      await watcher.stop();
    }
  });
});
