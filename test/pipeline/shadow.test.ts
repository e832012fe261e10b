import { afterEach, describe, expect, it } from 'vitest';
import { createClassifier, createOfflineClassifier } from '../../src/classify/index.ts';
import { loadConfig } from '../../src/config/env.ts';
import { createCrm } from '../../src/crm/index.ts';
import { createEnricher } from '../../src/enrich/index.ts';
import { JobWorker } from '../../src/jobs/worker.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { decide } from '../../src/policy/decide.ts';
import { shadowSource } from '../../src/policy/shadow.ts';
import { shadowSummary } from '../../src/policy/shadowSummary.ts';
import { createLeadProcessor } from '../../src/pipeline/process-lead.ts';
import type { DecideFn } from '../../src/pipeline/stages.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const CONFIDENT_BUYER = {
  intent: 'buying', fit_score: 86, fit_reasoning: 'Asks for pricing for 60 seats with SSO.', confidence: 0.9,
  recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', summary_for_slack: 'Pricing for 60 seats with SSO.',
};
const buyer = (n: number) => ({
  event_id: `shadow-${n}`, email: `tom.becker${n}@helixbio.com`, name: 'Tom Becker', company: 'Helix Bio',
  message: 'We need pricing for 60 seats with SSO for our analytics team, and we are deciding this month. Can we get a demo?',
});

/** The example policy naming a candidate that differs only in a higher confidence floor. */
async function appWithShadow(): Promise<TestApp> {
  const app = await startTestApp({
    anthropic: true,
    policy: (text) => text.replace('"kill_switch": false', '"kill_switch": false, "shadow": "candidate.json"'),
    files: { 'candidate.json': (text) => text.replace(/"confidence_floor": 0\.75/, '"confidence_floor": 0.95') },
  });
  app.anthropic!.setDefault({ tool: CONFIDENT_BUYER });
  return app;
}

/** The pipeline as app.ts builds it, plus the shadow, on the test app's store; its own worker runs the jobs. */
function pipeline(app: TestApp, opts: { shadow: boolean; decide?: DecideFn }) {
  const config = loadConfig(app.env);
  const logger = silentLogger();
  const { db, audit, leads } = app.app;
  const crm = createCrm(config, db, logger);
  const handler = createLeadProcessor({
    db, audit, leads, policy: () => app.loaded, logger, clock: app.clock.now,
    enricher: createEnricher({ db, config, crm, logger }),
    classifier: createClassifier({ anthropic: config.anthropic, policy: app.loaded.policy, logger }),
    offlineClassifier: createOfflineClassifier(),
    decide: opts.decide ?? decide,
    ...(opts.shadow ? { shadow: shadowSource(app.loaded, logger) } : {}),
  });
  return new JobWorker({ db, audit, logger, handlers: { process_lead: handler }, mayRun: () => true, leaseMs: 60_000 });
}

type Row = Record<string, unknown>;

describe('shadow policy', () => {
  it('decides every new lead beside the real decision, with no effects, and the summary counts the disagreement', async () => {
    t = await appWithShadow();
    const db = t.app.db;
    const withShadow = (await t.deliver('generic', buyer(1))).body.lead_id as string;
    await pipeline(t, { shadow: true }).drain();
    const without = (await t.deliver('generic', buyer(2))).body.lead_id as string;
    await pipeline(t, { shadow: false }).drain();

    const real = db.prepare('SELECT id, final_action, decision_json FROM decisions WHERE lead_id = ?').get(withShadow) as Row;
    expect(real.final_action).toBe('auto_route_sales');
    const shadow = db.prepare('SELECT * FROM shadow_decisions').all() as Row[];
    expect(shadow).toHaveLength(1);
    const candidateHash = shadowSource(t.loaded)()!.hash;
    expect(shadow[0]).toMatchObject({ decision_id: real.id, lead_id: withShadow, shadow_hash: candidateHash, final_action: 'human_review', agrees: 0 });
    expect(candidateHash).not.toBe(t.loaded.hash);
    expect((JSON.parse(shadow[0]!.rules_json as string) as Row[]).map((r) => r.rule)).toContain('below_confidence_floor');
    expect((JSON.parse(real.decision_json as string).rules as Row[]).map((r) => r.rule)).not.toContain('below_confidence_floor');

    // The shadow queued nothing: both leads have the same effects, each pointing at its own real decision.
    const effects = (leadId: string) => db.prepare('SELECT kind, decision_id FROM outbox WHERE lead_id = ? ORDER BY kind').all(leadId) as Row[];
    expect(effects(withShadow).map((e) => e.kind)).toEqual(effects(without).map((e) => e.kind));
    expect(effects(withShadow).length).toBeGreaterThan(0);
    expect(new Set(effects(withShadow).map((e) => e.decision_id))).toEqual(new Set([real.id]));
    expect(db.prepare("SELECT COUNT(*) FROM outbox WHERE kind = 'slack_review_card'").pluck().get()).toBe(0);
    expect(t.app.leads.get(withShadow)!.status).toBe('routed');

    const summary = shadowSummary(db, 24 * 3_600_000, t.clock.now() + 1);
    expect(summary).toMatchObject({ hash: candidateHash, decided: 1, disagreements: 1, rate: 1 });
    expect(summary.top_rules).toContainEqual({ rule: 'below_confidence_floor', count: 1 });
  }, 30_000);

  it('a shadow that throws never fails the lead: the real decision commits, and shadow_failed is audited', async () => {
    t = await appWithShadow();
    const candidate = shadowSource(t.loaded)()!;
    const throwing: DecideFn = (input) => {
      if (input.policyHash === candidate.hash) throw new Error('candidate exploded');
      return decide(input);
    };
    const leadId = (await t.deliver('generic', buyer(3))).body.lead_id as string;
    await pipeline(t, { shadow: true, decide: throwing }).drain();

    const db = t.app.db;
    expect(db.prepare('SELECT status FROM jobs WHERE lead_id = ?').pluck().get(leadId)).toBe('done');
    expect(db.prepare('SELECT final_action FROM decisions WHERE lead_id = ?').pluck().get(leadId)).toBe('auto_route_sales');
    expect(db.prepare('SELECT COUNT(*) FROM shadow_decisions').pluck().get()).toBe(0);
    const failed = t.app.audit.trail(leadId).filter((r) => r.event === 'shadow_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ stage: 'shadow', reason: 'candidate exploded', policy_hash: candidate.hash });
    expect(shadowSummary(db, 24 * 3_600_000, t.clock.now() + 1)).toEqual({ hash: null, decided: 0, disagreements: 0, rate: null, top_rules: [] });
  }, 30_000);

  it('a candidate that agrees is stored as agreeing and counts toward the leads decided only', async () => {
    t = await startTestApp({
      anthropic: true,
      policy: (text) => text.replace('"kill_switch": false', '"kill_switch": false, "shadow": "candidate.json"'),
      files: { 'candidate.json': (text) => text.replace('"version": "', '"version": "candidate ') },
    });
    t.anthropic!.setDefault({ tool: CONFIDENT_BUYER });
    await t.deliver('generic', buyer(4));
    await pipeline(t, { shadow: true }).drain();
    expect(t.app.db.prepare('SELECT agrees, final_action FROM shadow_decisions').get()).toEqual({ agrees: 1, final_action: 'auto_route_sales' });
    expect(shadowSummary(t.app.db, 24 * 3_600_000, t.clock.now() + 1)).toMatchObject({ decided: 1, disagreements: 0, rate: 0, top_rules: [] });
  }, 30_000);
});
