import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import { DEFAULT_TEST_NOW, testClock, type TestClock } from './clock.ts';
import { loadConfig } from '../../src/config/env.ts';
import { loadPolicy, type LoadedPolicy } from '../../src/policy/load.ts';
import { silentLogger, type Logger } from '../../src/observability/logger.ts';
import { HubspotFake } from '../fakes/hubspot.ts';
import { startSlackFake, type SlackFake } from '../fakes/slack.ts';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic.ts';
import { SmtpFake } from '../fakes/smtp.ts';
import { signSlack, signWebhook, type WebhookProvider } from './sign.ts';

export const SECRETS = {
  TYPEFORM_SECRET: 'tf-secret', TALLY_SIGNING_SECRET: 'tally-secret', WEBFLOW_SECRET: 'wf-secret',
  FORMSPREE_SECRET: 'fs-secret', HUBSPOT_CLIENT_SECRET: 'hs-secret', WEBHOOK_SECRET: 'generic-secret',
} as const;
export const SLACK_SIGNING_SECRET = 'e2e-slack-signing-secret';
const PROVIDER_SECRET: Record<WebhookProvider, string> = {
  typeform: SECRETS.TYPEFORM_SECRET, tally: SECRETS.TALLY_SIGNING_SECRET, webflow: SECRETS.WEBFLOW_SECRET,
  formspree: SECRETS.FORMSPREE_SECRET, hubspot: SECRETS.HUBSPOT_CLIENT_SECRET, generic: SECRETS.WEBHOOK_SECRET,
};

export interface TestAppOptions {
  /** Real SDKs against local fakes; each left out runs on its embedded default. */
  slack?: boolean;
  hubspot?: boolean;
  anthropic?: boolean;
  smtp?: boolean;
  /** Edits the example policy's text before it is loaded. */
  policy?: (text: string) => string;
  env?: Record<string, string>;
  /** Where the app's clock starts (default DEFAULT_TEST_NOW). */
  now?: number;
  /** Default: silent. */
  logger?: Logger;
  /** Files written beside the policy before the app starts (e.g. a shadow candidate), by name. */
  files?: Record<string, (policyText: string) => string>;
}

export interface TestApp {
  app: App;
  /** The policy the app loaded (the example policy, possibly edited by the test). */
  loaded: LoadedPolicy;
  url: string;
  dir: string;
  env: Record<string, string>;
  slack?: SlackFake;
  hubspot?: HubspotFake;
  anthropic?: AnthropicFake;
  smtp?: SmtpFake;
  /** POSTs a body to /webhooks/<provider>, signed as that vendor signs it. */
  deliver(provider: WebhookProvider, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  /** POSTs a form body to /slack/events signed as Slack signs it. */
  slackPost(body: string, contentType?: string): Promise<Response>;
  /** The app's clock: starts at DEFAULT_TEST_NOW (or opts.now) and runs with real time until set or advanced. */
  clock: TestClock;
  /** Runs the pipeline and the outbox until nothing is left to do now. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** The whole app, wired exactly as `serve` wires it, on a random loopback port with a temp database. */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'lt-e2e-'));
  const policyPath = join(dir, 'policy.json');
  const text = readFileSync('data/policy.json', 'utf8').replace('"$schema": "./policy.schema.json",', '');
  writeFileSync(policyPath, opts.policy ? opts.policy(text) : text);
  for (const [name, content] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), content(text));
  const env: Record<string, string> = {
    PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: join(dir, 'db.sqlite'), POLICY_PATH: policyPath, ENRICH_WEBSITE_FETCH: 'false', ...SECRETS,
  };
  const t: Partial<TestApp> = { dir, env };
  if (opts.slack) {
    t.slack = await startSlackFake();
    Object.assign(env, { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET, SLACK_API_URL: t.slack.apiUrl });
  }
  if (opts.hubspot) {
    t.hubspot = new HubspotFake();
    Object.assign(env, { HUBSPOT_ACCESS_TOKEN: t.hubspot.token, HUBSPOT_BASE_URL: await t.hubspot.start() });
  }
  if (opts.anthropic) {
    t.anthropic = await startAnthropicFake();
    Object.assign(env, { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: t.anthropic.url });
  }
  if (opts.smtp) {
    t.smtp = new SmtpFake();
    env.SMTP_URL = await t.smtp.start();
  }
  Object.assign(env, opts.env);
  const config = loadConfig(env);
  const loaded = loadPolicy(policyPath);
  const clock = testClock(opts.now ?? DEFAULT_TEST_NOW);
  const app = createApp({ config, loaded, logger: opts.logger ?? silentLogger(), background: false, clock: clock.now });
  await app.start();
  const url = `http://127.0.0.1:${app.port()}`;

  return {
    ...t, app, loaded, url, dir, env, clock,
    async deliver(provider, body, headers = {}) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const res = await fetch(`${url}/webhooks/${provider}`, {
        method: 'POST', body: raw, headers: { ...signWebhook(provider, PROVIDER_SECRET[provider], raw, { url: `${url}/webhooks/${provider}` }), ...headers },
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    slackPost(body, contentType = 'application/x-www-form-urlencoded') {
      return fetch(`${url}/slack/events`, { method: 'POST', body, headers: { ...signSlack(SLACK_SIGNING_SECRET, body), 'Content-Type': contentType } });
    },
    async settle() {
      for (let i = 0; i < 100; i++) {
        const jobs = await app.worker.drain();
        const effects = await app.dispatcher.runOnce();
        if (jobs === 0 && effects === 0) return;
      }
      throw new Error('pipeline did not settle');
    },
    async stop() {
      await app.stop();
      await Promise.all([t.slack?.close(), t.hubspot?.stop(), t.anthropic?.close(), t.smtp?.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  } as TestApp;
}
