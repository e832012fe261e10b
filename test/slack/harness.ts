import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClassifierResult, Classification } from '../../src/core/classification.ts';
import type { Enrichment } from '../../src/core/enrichment.ts';
import type { CanonicalLead } from '../../src/core/lead.ts';
import type { OutboxEffect, EffectKind } from '../../src/core/effects.ts';
import { loadConfig } from '../../src/config/env.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { commitDecision } from '../../src/pipeline/commit.ts';
import { decide } from '../../src/policy/decide.ts';
import { loadPolicy, type LoadedPolicy } from '../../src/policy/load.ts';
import { createSlack, type SlackSurface } from '../../src/slack/app.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { LeadStore } from '../../src/store/leads.ts';
import { signSlack } from '../helpers/sign.ts';
import { DEFAULT_TEST_NOW, testClock, type TestClock } from '../helpers/clock.ts';
import { startSlackFake, type SlackFake } from '../fakes/slack.ts';

export const SIGNING_SECRET = 'test-signing-secret';
export const APPROVER = 'U0APPROVE1';
export const APPROVER_2 = 'U0APPROVE2';
export const OUTSIDER = 'U0OUTSIDE1';
export const REVIEW_CHANNEL = 'C0REVIEW01';

export function sampleLead(over: Partial<CanonicalLead> = {}): CanonicalLead {
  return {
    name: 'Dana Buyer', email: 'dana@bigco.example', company: 'BigCo', website: 'https://bigco.example', phone: null,
    message: 'We would like a demo and pricing for 200 seats, evaluating this quarter.', source: 'generic',
    utm: { source: null, medium: null, campaign: null, term: null, content: null },
    submitted_at: new Date().toISOString(), submitter_ip: null, raw_answers: {}, ...over,
  };
}

export function sampleClassification(over: Partial<Classification> = {}): ClassifierResult {
  return {
    classification: {
      intent: 'buying', fit_score: 80, fit_reasoning: 'Asks for a demo for 200 seats.', confidence: 0.5,
      recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', summary_for_slack: 'Wants a demo for 200 seats.', ...over,
    },
    classifier: 'offline', model: null, prompt_version: 'test-1',
    usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    cost_usd: 0, latency_ms: 1, attempts: 1, failure: null, fallback_reason: null,
  };
}

export const ENRICHMENT: Enrichment = {
  domain: { email_domain: 'bigco.example', registrable_domain: 'bigco.example', public_suffix: 'example', is_free_mail: false, is_disposable: false, is_role_address: false, suggested_domain: null },
  crm_history: null,
  company: { name: 'BigCo', domain: 'bigco.example', industry: 'software', employee_count: 400, country: 'US', description: null, source: 'test' },
  degraded: [],
};

export interface Harness {
  db: Db; audit: AuditLog; leads: LeadStore; loaded: LoadedPolicy; fake: SlackFake; slack: SlackSurface; url: string; clock: TestClock; metrics: Metrics;
  reprocessed: Array<{ leadId: string; actor: string }>;
  close(): Promise<void>;
}

export async function startHarness(opts: { recorded?: boolean } = {}): Promise<Harness> {
  const fake = await startSlackFake();
  const db = openDb(':memory:');
  const audit = new AuditLog(db);
  const leads = new LeadStore(db);
  const loaded = loadPolicy('data/policy.json');
  // A post with an unknown outcome is looked for at once on its retry (production waits OUTBOX_SETTLE_MS).
  const base = { LOG_LEVEL: 'silent', OUTBOX_SETTLE_MS: '0' };
  const env = opts.recorded ? base : { ...base, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl };
  const reprocessed: Harness['reprocessed'] = [];
  const clock = testClock(DEFAULT_TEST_NOW);
  const metrics = createMetrics();
  const slack = createSlack({
    config: loadConfig(env), db, audit, leads, loaded, logger: silentLogger(), decide, clock: clock.now, metrics,
    reprocess: (leadId, actor) => { reprocessed.push({ leadId, actor }); return { job_id: 42 }; },
  });
  let server: Server | null = null;
  let url = '';
  if (slack.requestListener) {
    const listener = slack.requestListener;
    server = createServer((req, res) => listener(req, res));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  }
  await slack.start();
  return {
    db, audit, leads, loaded, fake, slack, url, reprocessed, clock, metrics,
    close: async () => {
      await slack.stop();
      if (server) await new Promise<void>((r) => { server!.closeAllConnections(); server!.close(() => r()); });
      await fake.close();
      db.close();
    },
  };
}

/** Stores a lead and commits its first decision through the real decide(): low confidence → held for review. */
export function seedLead(h: Harness, lead: CanonicalLead = sampleLead(), classification: ClassifierResult = sampleClassification()): { leadId: string; decisionId: string } {
  const leadId = randomUUID();
  const now = new Date().toISOString();
  h.db.prepare(`INSERT INTO leads (id, provider, email, email_domain, submitter_ip, content_hash, data_json, status, correlation_id, created_at, updated_at)
    VALUES (?, 'generic', ?, ?, NULL, ?, ?, 'received', ?, ?, ?)`).run(leadId, lead.email, lead.email.split('@')[1], randomUUID(), JSON.stringify(lead), `corr-${leadId}`, now, now);
  const decision = decide({ lead, enrichment: ENRICHMENT, classification, policy: h.loaded.policy, policyHash: h.loaded.hash, precheck: { verdict: 'continue', rules: [] }, killSwitch: false });
  const committed = commitDecision(h.db, h.audit, {
    lead_id: leadId, correlation_id: `corr-${leadId}`, decision, classification, enrichment: ENRICHMENT, routing: { policy: h.loaded.policy, lead, now: h.clock.now() },
  });
  return { leadId, decisionId: committed.decision_id };
}

const SLACK_KINDS: EffectKind[] = ['slack_lead_card', 'slack_review_card', 'slack_update_card', 'slack_review_reminder'];

/** Plays the outbox worker for Slack effects: runs each pending one through the real handler, in order. */
export async function drainSlackEffects(h: Harness): Promise<Array<{ kind: EffectKind; result: unknown }>> {
  const rows = h.db.prepare(`SELECT * FROM outbox WHERE status = 'pending' AND kind IN (${SLACK_KINDS.map(() => '?').join(',')}) ORDER BY id`).all(...SLACK_KINDS) as Array<{ id: number; lead_id: string; decision_id: string; kind: EffectKind; dedupe_key: string; payload_json: string; attempts: number; correlation_id: string }>;
  const out: Array<{ kind: EffectKind; result: unknown }> = [];
  for (const r of rows) {
    const effect: OutboxEffect = { id: r.id, lead_id: r.lead_id, decision_id: r.decision_id, kind: r.kind, dedupe_key: r.dedupe_key, payload: JSON.parse(r.payload_json), attempts: r.attempts, correlation_id: r.correlation_id };
    const result = await h.slack.effectHandlers[r.kind as 'slack_lead_card'](effect);
    h.db.prepare("UPDATE outbox SET status = 'done', result_json = ? WHERE id = ?").run(JSON.stringify(result), r.id);
    out.push({ kind: r.kind, result });
  }
  return out;
}

async function post(h: Harness, body: string, contentType: string, opts: { timestamp?: number; secret?: string } = {}): Promise<Response> {
  const headers = signSlack(opts.secret ?? SIGNING_SECRET, body, opts.timestamp);
  return fetch(h.url, { method: 'POST', headers: { ...headers, 'Content-Type': contentType }, body });
}

/** A block_actions payload as Slack sends it for a button clicked on a channel message. */
export function blockActionBody(user: string, actionId: string, value: string, channel = REVIEW_CHANNEL): string {
  const payload = {
    type: 'block_actions', team: { id: 'T0FAKE001', domain: 'fake' }, user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE001' },
    api_app_id: 'A0APP0001', token: 'legacy-verification-token', trigger_id: `trig-${randomUUID()}`,
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: 'review' }, message: { type: 'message', ts: '1700000000.000100', text: 'card' },
    response_url: `${'http://127.0.0.1:1'}/unused`,
    actions: [{ type: 'button', action_id: actionId, block_id: 'review_actions', value, text: { type: 'plain_text', text: 'x' }, action_ts: `${Date.now() / 1000}` }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function viewSubmissionBody(user: string, view: { callback_id: string; private_metadata: string; state: { values: Record<string, Record<string, unknown>> } }): string {
  const payload = {
    type: 'view_submission', team: { id: 'T0FAKE001', domain: 'fake' }, user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE001' },
    api_app_id: 'A0APP0001', token: 'legacy-verification-token', trigger_id: `trig-${randomUUID()}`,
    view: { id: 'V0VIEW0001', team_id: 'T0FAKE001', type: 'modal', blocks: [], title: { type: 'plain_text', text: 'x' }, close: null, submit: null, hash: 'h', app_id: 'A0APP0001', bot_id: 'B0BOT0001', root_view_id: 'V0VIEW0001', previous_view_id: null, clear_on_close: false, notify_on_close: false, ...view },
    response_urls: [],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function commandBody(h: Harness, user: string, text: string): string {
  return new URLSearchParams({
    token: 'legacy-verification-token', team_id: 'T0FAKE001', team_domain: 'fake', channel_id: 'C0SALES001', channel_name: 'sales',
    user_id: user, user_name: user.toLowerCase(), command: '/triage', text, api_app_id: 'A0APP0001', is_enterprise_install: 'false',
    response_url: `${h.fake.url}/respond/${randomUUID()}`, trigger_id: `trig-${randomUUID()}`,
  }).toString();
}

export function eventBody(event: Record<string, unknown>): string {
  return JSON.stringify({ token: 'legacy-verification-token', team_id: 'T0FAKE001', api_app_id: 'A0APP0001', event, type: 'event_callback', event_id: `Ev${Date.now()}`, event_time: Math.floor(Date.now() / 1000) });
}

export const sendForm = (h: Harness, body: string, opts?: { timestamp?: number; secret?: string }) => post(h, body, 'application/x-www-form-urlencoded', opts);
export const sendJson = (h: Harness, body: string) => post(h, body, 'application/json');

/** Listeners work after the ack; wait for the effect we expect (or fail after `ms`). */
export async function waitFor<T>(fn: () => T | undefined | null | false, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('waitFor: condition not met');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Gives background work a moment to (not) happen before asserting that nothing changed. */
export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
