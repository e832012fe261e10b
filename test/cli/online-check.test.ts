import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/cli/commands/check-config.ts';
import { checkOnline } from '../../src/cli/commands/online/index.ts';
import { policyChannels, policyUsers } from '../../src/cli/commands/online/slack.ts';
import { loadConfig } from '../../src/config/env.ts';
import { parsePolicy } from '../../src/policy/load.ts';
import type { Policy } from '../../src/policy/schema.ts';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic.ts';
import { HubspotFake } from '../fakes/hubspot.ts';
import { startSlackFake, type SlackFake } from '../fakes/slack.ts';
import { runCommand } from '../helpers/command.ts';

// Distinctive credentials, so any fragment of one in the output is found.
const SLACK_TOKEN = 'xoxb-7731-Qz9K3vR8pLm2Wt';
const HUBSPOT_TOKEN = 'pat-na1-5f0e9c1d-8b2a-Hs7Jq';
const ANTHROPIC_KEY = 'sk-ant-api03-Zr4Xw8Nv2Kp6Lq';
const SECRETS = [SLACK_TOKEN, HUBSPOT_TOKEN, ANTHROPIC_KEY];

const dir = mkdtempSync(join(tmpdir(), 'lt-online-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The example policy, with a field_mapping HubSpot can take as it is (the example maps to one read-only property). */
function examplePolicy(edit: (raw: Record<string, any>) => void = () => {}): { policy: Policy; text: string } {
  const { policy } = parsePolicy(readFileSync('data/policy.json', 'utf8'), 'data/policy.json');
  const raw = structuredClone(policy) as Record<string, any>;
  raw.crm.field_mapping = { email: 'email', name: 'firstname', company: 'company', website: 'website', phone: 'phone' };
  edit(raw);
  const text = JSON.stringify(raw);
  return { policy: parsePolicy(text).policy, text };
}

interface World { slack: SlackFake; hubspot: HubspotFake; anthropic: AnthropicFake; env: Record<string, string> }
let open: World | null = null;

/** All three fakes, every channel the policy names known with the bot in it, and every HubSpot owner it names. */
async function world(policy: Policy): Promise<World> {
  const slack = await startSlackFake({ token: SLACK_TOKEN });
  const hubspot = new HubspotFake(HUBSPOT_TOKEN);
  const anthropic = await startAnthropicFake({ apiKey: ANTHROPIC_KEY });
  const env = {
    SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_SIGNING_SECRET: 'online-check-signing-secret', SLACK_API_URL: slack.apiUrl,
    HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN, HUBSPOT_BASE_URL: await hubspot.start(),
    ANTHROPIC_API_KEY: ANTHROPIC_KEY, ANTHROPIC_BASE_URL: anthropic.url,
  };
  for (const [id] of policyChannels(policy)) slack.setChannel(id, { name: `chan-${id.toLowerCase()}` });
  for (const p of Object.values(policy.people)) if (p.hubspot_owner_id) hubspot.seedOwner({ id: p.hubspot_owner_id, email: `${p.name.toLowerCase()}@acme.example` });
  open = { slack, hubspot, anthropic, env };
  return open;
}

afterEach(async () => {
  if (!open) return;
  await Promise.all([open.slack.close(), open.hubspot.stop(), open.anthropic.close()]);
  open = null;
});

const expectNoSecret = (text: string) => {
  for (const secret of SECRETS) for (let i = 0; i + 8 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 8));
};

describe('checkOnline', () => {
  it('passes a policy and environment that Slack, HubSpot and Anthropic all agree with, and sends no message', async () => {
    const { policy } = examplePolicy();
    const w = await world(policy);
    const r = await checkOnline(loadConfig(w.env), policy);
    expect(r.problems).toEqual([]);
    const users = policyUsers(policy);
    expect(r.checked).toEqual([
      'Slack token (bot @lead-triage in Fake)',
      `Slack channels: ${policyChannels(policy).size}`,
      `Slack users: ${users.size}`,
      'HubSpot token',
      'HubSpot contact properties: 5',
      `HubSpot owners: ${Object.values(policy.people).filter((p) => p.hubspot_owner_id).length}`,
      'Anthropic model claude-haiku-4-5',
    ]);
    // Each user once, though the example names its approvers as pool managers too.
    expect(w.slack.callsTo('users.info').map((c) => c.body.user)).toEqual([...users.keys()]);
    expect(w.slack.callsTo('chat.postMessage')).toEqual([]);
    expect(w.anthropic.modelLookups).toEqual(['claude-haiku-4-5']);
    expect(w.anthropic.requests).toEqual([]);
    expect(w.hubspot.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('names each channel problem by its policy path: missing, bot not in it, archived', async () => {
    const w = await world(examplePolicy().policy);
    w.slack.setChannel('C0SALES001', { name: 'sales-leads', is_member: false });
    w.slack.setChannel('C0SUPPORT1', { name: 'support-leads', is_archived: true });
    w.slack.setChannel('C0REVIEW01', { name: 'lead-review', is_private: true, is_member: false });
    const { policy } = examplePolicy((p) => { p.routing.queues.founder.channel = 'C0NOSUCH01'; });
    const r = await checkOnline(loadConfig({ ...w.env, HUBSPOT_ACCESS_TOKEN: '', ANTHROPIC_API_KEY: '' }), policy);
    expect(r.problems).toEqual([
      'routing.queues.sales.channel: the bot is not in #sales-leads (C0SALES001): /invite @lead-triage there',
      'routing.queues.support.channel: #support-leads (C0SUPPORT1) is archived: unarchive it or name another channel',
      'routing.queues.founder.channel: no such channel C0NOSUCH01: fix the id (channel details → Channel ID); for a private channel, /invite @lead-triage there',
      'routing.review_channel: no such channel C0REVIEW01: fix the id (channel details → Channel ID); for a private channel, /invite @lead-triage there',
    ]);
    expect(r.checked).toContain('HubSpot: skipped (no HUBSPOT_ACCESS_TOKEN)');
    expect(r.checked).toContain('Anthropic: skipped (no ANTHROPIC_API_KEY)');
  });

  it('checks the digest channel when it has its own, and says when the app lacks the scope to read channels', async () => {
    const { policy } = examplePolicy((p) => { p.digest.channel = 'C0DIGEST01'; });
    const w = await world(policy);
    expect(policyChannels(policy).get('C0DIGEST01')).toBe('digest.channel');
    w.slack.failNext('conversations.info', { error: 'missing_scope' });
    const r = await checkOnline(loadConfig({ ...w.env, HUBSPOT_ACCESS_TOKEN: '', ANTHROPIC_API_KEY: '' }), policy);
    expect(r.problems).toEqual([]);
    expect(r.checked).toContain('Slack channels: not checked (the app lacks the channels:read scope: add channels:read and groups:read to its bot scopes and reinstall to have channels checked)');
  });

  it('names an unknown approver and a deactivated person, and checks each user once', async () => {
    const { policy } = examplePolicy();
    const w = await world(policy);
    const approver = policy.approvers.users[0] as string;
    w.slack.setUnknownUser(approver);
    w.slack.setUserProfile('U0SUPPORT2', { real_name: 'Dana' }, { deleted: true });
    const r = await checkOnline(loadConfig({ ...w.env, HUBSPOT_ACCESS_TOKEN: '', ANTHROPIC_API_KEY: '' }), policy);
    expect(r.problems).toEqual([
      'people.U0SUPPORT2: the Slack user U0SUPPORT2 is deactivated: remove them or set "active": false',
      `approvers.users.0: no such Slack user ${approver}: fix the id (their profile → ⋮ → Copy member ID)`,
    ]);
    expect(w.slack.callsTo('users.info').filter((c) => c.body.user === approver)).toHaveLength(1);
  });

  it('takes a person marked inactive out of the deactivation check', async () => {
    const { policy } = examplePolicy((p) => { p.people.U0SUPPORT2.active = false; });
    const w = await world(policy);
    w.slack.setUserProfile('U0SUPPORT2', { real_name: 'Dana' }, { deleted: true });
    const r = await checkOnline(loadConfig({ ...w.env, HUBSPOT_ACCESS_TOKEN: '', ANTHROPIC_API_KEY: '' }), policy);
    expect(r.problems).toEqual([]);
  });

  it('names an unknown property, a read-only and a calculated one, and an unknown or archived owner', async () => {
    const { policy } = examplePolicy((p) => {
      Object.assign(p.crm.field_mapping, { 'utm.source': 'hs_analytics_source_data_1', 'utm.campaign': 'utm_campaign', 'utm.term': 'num_associated_deals' });
      p.crm.owner_map = { U0SUPPORT1: '41629781' };
    });
    const w = await world(policy);
    w.hubspot.owners.delete('41629780');
    w.hubspot.seedOwner({ id: '41629781', email: 'chidi@acme.example', archived: true });
    const r = await checkOnline(loadConfig({ ...w.env, SLACK_BOT_TOKEN: '', ANTHROPIC_API_KEY: '' }), policy);
    expect(r.problems).toEqual([
      'crm.field_mapping.utm.source: hs_analytics_source_data_1 is read-only in HubSpot (set by HubSpot): map this field to a writable property or remove it from field_mapping',
      'crm.field_mapping.utm.campaign: no contact property utm_campaign in HubSpot: create it (Settings → Properties) or remove it from field_mapping',
      'crm.field_mapping.utm.term: num_associated_deals is read-only in HubSpot (set by HubSpot): map this field to a writable property or remove it from field_mapping',
      'people.U0SALES002.hubspot_owner_id: no HubSpot owner 41629780: fix the id (Settings → Users & Teams) or remove it',
      'crm.owner_map.U0SUPPORT1: no HubSpot owner 41629781: fix the id (Settings → Users & Teams) or remove it',
    ]);
    // The token probe reads `email`, which field_mapping names too: read once.
    expect(w.hubspot.count('GET', '/crm/v3/properties/contacts/email')).toBe(1);
    w.hubspot.defineContactProperty('utm_campaign', { label: 'UTM campaign' });
    const again = await checkOnline(loadConfig({ ...w.env, SLACK_BOT_TOKEN: '', ANTHROPIC_API_KEY: '' }), policy);
    expect(again.problems.filter((l) => l.includes('utm_campaign'))).toEqual([]);
  });

  it('an invalid Slack token is one problem, and nothing else is asked of Slack', async () => {
    const { policy } = examplePolicy();
    const w = await world(policy);
    const r = await checkOnline(loadConfig({ ...w.env, SLACK_BOT_TOKEN: 'xoxb-0000-not-the-token', HUBSPOT_ACCESS_TOKEN: '', ANTHROPIC_API_KEY: '' }), policy);
    expect(r.problems).toEqual(['SLACK_BOT_TOKEN: Slack refused the token (invalid_auth): set the app\'s Bot User OAuth Token (OAuth & Permissions, xoxb-…)']);
    expect(w.slack.calls.map((c) => c.method)).toEqual(['auth.test']);
  });

  it('an invalid HubSpot token is one problem, after one request', async () => {
    const { policy } = examplePolicy();
    const w = await world(policy);
    const r = await checkOnline(loadConfig({ ...w.env, SLACK_BOT_TOKEN: '', HUBSPOT_ACCESS_TOKEN: 'pat-na1-wrong', ANTHROPIC_API_KEY: '' }), policy);
    expect(r.problems).toEqual(['HUBSPOT_ACCESS_TOKEN: HubSpot refused the token (401): set the access token of a private app (Settings → Integrations → Private apps)']);
    expect(w.hubspot.requests).toHaveLength(1);
  });

  it('an invalid Anthropic key and an unknown model are named by their variable', async () => {
    const { policy } = examplePolicy();
    const w = await world(policy);
    const only = { ...w.env, SLACK_BOT_TOKEN: '', HUBSPOT_ACCESS_TOKEN: '' };
    const badKey = await checkOnline(loadConfig({ ...only, ANTHROPIC_API_KEY: 'sk-ant-wrong' }), policy);
    expect(badKey.problems).toEqual(['ANTHROPIC_API_KEY: Anthropic refused the key (401): create a key in the Claude Console (Settings → API keys) and set it']);
    const badModel = await checkOnline(loadConfig({ ...only, CLASSIFIER_MODEL: 'claude-haiku-9' }), policy);
    expect(badModel.problems).toEqual(['CLASSIFIER_MODEL: no model claude-haiku-9 at Anthropic: name a current model id or alias (e.g. claude-haiku-4-5)']);
    // The second opinion's model is checked too when it is on.
    const second = examplePolicy((p) => { p.classifier.second_opinion = { ...p.classifier.second_opinion, enabled: true, model: 'claude-sonnet-9' }; }).policy;
    const r = await checkOnline(loadConfig(only), second);
    expect(r.problems).toEqual(['classifier.second_opinion.model: no model claude-sonnet-9 at Anthropic: name a current model id or alias (e.g. claude-haiku-4-5)']);
    expect(w.anthropic.requests).toEqual([]);
  });

  it('skips every integration without credentials, saying so', async () => {
    const { policy } = examplePolicy();
    const r = await checkOnline(loadConfig({}), policy);
    expect(r).toEqual({ checked: ['Slack: skipped (no SLACK_BOT_TOKEN)', 'HubSpot: skipped (no HUBSPOT_ACCESS_TOKEN)', 'Anthropic: skipped (no ANTHROPIC_API_KEY)'], problems: [] });
  });

  it('bounds a HubSpot that does not answer: one retry, then one problem', async () => {
    const { policy } = examplePolicy();
    const w = await world(policy);
    w.hubspot.fail({ match: 'GET /crm/v3/properties/contacts/email', delayMs: 1_000, times: 2 });
    const started = Date.now();
    const r = await checkOnline(loadConfig({ ...w.env, SLACK_BOT_TOKEN: '', ANTHROPIC_API_KEY: '' }), policy, { timeoutMs: 200 });
    expect(r.problems).toEqual(['HUBSPOT_ACCESS_TOKEN: could not be checked (no answer within 0.2 s): check HUBSPOT_BASE_URL and the network']);
    expect(w.hubspot.count('GET', '/crm/v3/properties/contacts/email')).toBe(2);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('check-config --online', () => {
  const run = (args: string[], env: Record<string, string>) => runCommand(checkConfig, args, env);

  it('asks no API without --online; with it, prints what it checked and each problem, and never a credential', async () => {
    const { policy, text } = examplePolicy();
    const file = join(dir, 'policy.json');
    writeFileSync(file, text);
    const w = await world(policy);
    const offline = await run([], { ...w.env, POLICY_PATH: file });
    expect(offline.code).toBe(0);
    expect(w.slack.calls).toEqual([]);
    expect(w.hubspot.requests).toEqual([]);

    w.slack.setChannel('C0SALES001', { name: 'sales-leads', is_member: false });
    const ok = await run(['--online'], { ...w.env, POLICY_PATH: file });
    expect(ok.err).toEqual([`${file}: routing.queues.sales.channel: the bot is not in #sales-leads (C0SALES001): /invite @lead-triage there`]);
    expect(ok.code).toBe(2);
    expect(ok.out).toContain('online: Slack token (bot @lead-triage in Fake)');
    expect(ok.out).toContain('online: Anthropic model claude-haiku-4-5');

    const wrong = { SLACK_BOT_TOKEN: `${SLACK_TOKEN}x`, HUBSPOT_ACCESS_TOKEN: `${HUBSPOT_TOKEN}x`, ANTHROPIC_API_KEY: `${ANTHROPIC_KEY}x` };
    const bad = await run(['--online'], { ...w.env, ...wrong, POLICY_PATH: file });
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([
      'environment: SLACK_BOT_TOKEN: Slack refused the token (invalid_auth): set the app\'s Bot User OAuth Token (OAuth & Permissions, xoxb-…)',
      'environment: HUBSPOT_ACCESS_TOKEN: HubSpot refused the token (401): set the access token of a private app (Settings → Integrations → Private apps)',
      'environment: ANTHROPIC_API_KEY: Anthropic refused the key (401): create a key in the Claude Console (Settings → API keys) and set it',
    ]);
    expectNoSecret([...offline.out, ...offline.err, ...ok.out, ...ok.err, ...bad.out, ...bad.err].join('\n'));
  });

  it('from the command line: a deactivated person and an unknown HubSpot owner, one line each, exit 2', async () => {
    const { policy, text } = examplePolicy();
    const file = join(dir, 'cli-policy.json');
    writeFileSync(file, text);
    const w = await world(policy);
    w.hubspot.owners.delete('41629780');
    w.slack.setUserProfile('U0SUPPORT2', { real_name: 'Dana' }, { deleted: true });
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/lead-triage.js', 'check-config', '--online'], {
        env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(dir, 'cli.sqlite'), POLICY_PATH: file, ENRICH_WEBSITE_FETCH: 'false', ...w.env },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      child.on('close', (code) => resolve({ code, out, err }));
    });
    expect(r.err.trim().split('\n')).toEqual([
      `${file}: people.U0SUPPORT2: the Slack user U0SUPPORT2 is deactivated: remove them or set "active": false`,
      `${file}: people.U0SALES002.hubspot_owner_id: no HubSpot owner 41629780: fix the id (Settings → Users & Teams) or remove it`,
    ]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`online: Slack users: ${policyUsers(policy).size}`);
    expectNoSecret(r.out + r.err);
  }, 60_000);
});
