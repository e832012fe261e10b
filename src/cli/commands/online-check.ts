import http from 'node:http';
import https from 'node:https';
import Anthropic from '@anthropic-ai/sdk';
import { Client } from '@hubspot/api-client';
import { webApi, type LogLevel } from '@slack/bolt';
import { z } from 'zod';
import type { Config } from '../../config/env.ts';
import type { Policy } from '../../policy/schema.ts';
import { slackErrorCode } from '../../slack/slackErrors.ts';

/**
 * `check-config --online`: with the configured credentials only, what the policy and the environment name is
 * asked of Slack, HubSpot and Anthropic. Every call is bounded (a timeout, at most one retry) and costs nothing.
 * Problems are `<policy path or VARIABLE>: <what is wrong and how to fix it>`; they never hold a credential,
 * because no vendor's message is ever echoed, only codes and statuses.
 */
export interface OnlineReport {
  checked: string[];
  problems: string[];
}

export interface OnlineOptions {
  /** Per call; the default suits a person waiting at a terminal. */
  timeoutMs?: number;
}

export async function checkOnline(config: Config, policy: Policy, opts: OnlineOptions = {}): Promise<OnlineReport> {
  const report: OnlineReport = { checked: [], problems: [] };
  const timeoutMs = opts.timeoutMs ?? 5_000;
  await checkSlack(config, policy, report, timeoutMs);
  await checkHubspot(config, policy, report, timeoutMs);
  await checkAnthropic(config, policy, report, timeoutMs);
  return report;
}

/** How check-config prints a problem: an environment variable as start-up names a bad one, a policy path with its file. */
export function problemLine(problem: string, policyPath: string): string {
  return /^[A-Z][A-Z0-9_]*: /.test(problem) ? `environment: ${problem}` : `${policyPath}: ${problem}`;
}

/** Every Slack channel the policy posts to, with the path it is first named at (a channel named twice is checked once). */
export function policyChannels(policy: Policy): Map<string, string> {
  const named = new Map<string, string>();
  const add = (channel: string | undefined, path: string) => void (channel && !named.has(channel) && named.set(channel, path));
  for (const [queue, q] of Object.entries(policy.routing.queues)) add(q.channel, `routing.queues.${queue}.channel`);
  add(policy.routing.review_channel, 'routing.review_channel');
  if (policy.digest.enabled) add(policy.digest.channel, 'digest.channel');
  return named;
}

/**
 * Every Slack user the policy names, once, with the path to report them by. `mustBeActive` is false only for
 * people marked "active": false (a deactivated Slack account is then expected), unless named elsewhere too.
 */
export function policyUsers(policy: Policy): Map<string, { path: string; mustBeActive: boolean }> {
  const named = new Map<string, { path: string; mustBeActive: boolean }>();
  const add = (user: string, path: string, mustBeActive = true) => {
    const seen = named.get(user);
    if (!seen || (mustBeActive && !seen.mustBeActive)) named.set(user, { path, mustBeActive });
  };
  for (const [user, p] of Object.entries(policy.people)) add(user, `people.${user}`, p.active);
  policy.approvers.users.forEach((user, i) => add(user, `approvers.users.${i}`));
  for (const [pool, p] of Object.entries(policy.pools)) if (p.manager) add(p.manager, `pools.${pool}.manager`);
  for (const [queue, q] of Object.entries(policy.routing.queues)) q.owners.forEach((user, i) => add(user, `routing.queues.${queue}.owners.${i}`));
  for (const user of Object.keys(policy.crm.owner_map)) add(user, `crm.owner_map.${user}`);
  return named;
}

// Declares only what the checks read (Slack answers far more).
const AuthTest = z.object({ user: z.string().optional(), team: z.string().optional() });
const SlackChannel = z.object({ name: z.string().optional(), is_archived: z.boolean().optional(), is_member: z.boolean().optional() });
const SlackUser = z.object({ deleted: z.boolean().optional() });

/** A failed Slack call in words: the platform's error code, a status, or that nobody answered. */
function slackReason(err: unknown): string {
  const e = (err ?? {}) as { code?: string; data?: { error?: string }; statusCode?: number; original?: { code?: unknown } };
  if (e.code === 'slack_webapi_platform_error') return e.data?.error ?? 'error';
  if (e.code === 'slack_webapi_rate_limited_error') return 'rate limited: try again in a minute';
  if (e.code === 'slack_webapi_http_error') return `HTTP ${e.statusCode ?? '?'}`;
  if (e.code === 'slack_webapi_request_error') return `no answer${typeof e.original?.code === 'string' ? ` (${e.original.code})` : ''}`;
  return err instanceof z.ZodError ? 'an answer not shaped as Slack documents it' : 'unexpected error';
}

const REVOKED = new Set(['account_inactive', 'token_revoked', 'token_expired', 'team_disabled']);

async function checkSlack(config: Config, policy: Policy, report: OnlineReport, timeoutMs: number): Promise<void> {
  const { checked, problems } = report;
  if (!config.slack.botToken) return void checked.push('Slack: skipped (no SLACK_BOT_TOKEN)');
  const slack = new webApi.WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    timeout: timeoutMs, retryConfig: { retries: 1 }, rejectRateLimitedCalls: true, logLevel: 'error' as LogLevel,
  });
  let bot = 'bot';
  try {
    const auth = AuthTest.parse(await slack.auth.test());
    bot = auth.user ?? bot;
    checked.push(`Slack token (bot @${bot}${auth.team ? ` in ${auth.team}` : ''})`);
  } catch (err) {
    // A token Slack refuses fails every other call the same way: one line says it.
    const code = slackErrorCode(err);
    if (code === 'invalid_auth' || code === 'not_authed') problems.push(`SLACK_BOT_TOKEN: Slack refused the token (${code}): set the app's Bot User OAuth Token (OAuth & Permissions, xoxb-…)`);
    else if (code && REVOKED.has(code)) problems.push(`SLACK_BOT_TOKEN: Slack refused the token (${code}): reinstall the app and set its new Bot User OAuth Token`);
    else problems.push(`SLACK_BOT_TOKEN: could not be checked (${slackReason(err)})${code ? '' : ': check SLACK_API_URL and the network'}`);
    return;
  }

  const channels = policyChannels(policy);
  let channelCount = 0;
  for (const [channel, path] of channels) {
    if (channel.startsWith('#')) {
      checked.push(`${path}: ${channel} not checked (conversations.info needs a channel id: name it by id to have it checked)`);
      continue;
    }
    channelCount++;
    try {
      const c = SlackChannel.parse((await slack.conversations.info({ channel })).channel ?? {});
      const name = c.name ? `#${c.name} (${channel})` : channel;
      if (c.is_archived) problems.push(`${path}: ${name} is archived: unarchive it or name another channel`);
      else if (c.is_member === false) problems.push(`${path}: the bot is not in ${name}: /invite @${bot} there`);
    } catch (err) {
      const code = slackErrorCode(err);
      if (code === 'missing_scope') {
        const needed = (err as { data?: { needed?: unknown } }).data?.needed;
        channelCount = 0;
        checked.push(`Slack channels: not checked (the app lacks the ${typeof needed === 'string' ? needed : 'channels:read'} scope: add channels:read and groups:read to its bot scopes and reinstall to have channels checked)`);
        break;
      }
      if (code === 'channel_not_found') problems.push(`${path}: no such channel ${channel}: fix the id (channel details → Channel ID); for a private channel, /invite @${bot} there`);
      else problems.push(`${path}: could not be checked in Slack (${slackReason(err)})`);
    }
  }
  if (channelCount) checked.push(`Slack channels: ${channelCount}`);

  const users = policyUsers(policy);
  for (const [user, { path, mustBeActive }] of users) {
    try {
      const u = SlackUser.parse((await slack.users.info({ user })).user ?? {});
      if (u.deleted && mustBeActive) problems.push(`${path}: the Slack user ${user} is deactivated: ${path.startsWith('people.') ? 'remove them or set "active": false' : 'name someone else'}`);
    } catch (err) {
      const code = slackErrorCode(err);
      problems.push(`${path}: ${code === 'user_not_found' ? `no such Slack user ${user}: fix the id (their profile → ⋮ → Copy member ID)` : `could not be checked in Slack (${slackReason(err)})`}`);
    }
  }
  checked.push(`Slack users: ${users.size}`);

  const group = policy.approvers.usergroup;
  if (group) {
    try {
      await slack.usergroups.users.list({ usergroup: group });
      checked.push(`Slack user group ${group}`);
    } catch (err) {
      const code = slackErrorCode(err);
      problems.push(`approvers.usergroup: ${code === 'no_such_subteam' ? `no such Slack user group ${group}: fix the id or set it to null` : `could not be checked in Slack (${slackReason(err)})`}`);
    }
  }
}

class NoAnswer extends Error {}

/** HubSpot's SDK has no timeout: each call races one, and the agent's sockets are destroyed when the check ends. */
function bounded<T>(ms: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new NoAnswer(`no answer within ${ms / 1000} s`)), ms); });
  return Promise.race([call(), late]).finally(() => clearTimeout(timer));
}

const statusOf = (err: unknown): number | null => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
};

/** One try, and one more only when another could help (no answer, 429, 5xx). */
async function withRetry<T>(ms: number, call: () => Promise<T>): Promise<T> {
  try {
    return await bounded(ms, call);
  } catch (err) {
    const status = statusOf(err);
    if (status !== null && status !== 429 && status < 500) throw err;
    await new Promise((r) => setTimeout(r, 300));
    return bounded(ms, call);
  }
}

function hubspotReason(err: unknown): string {
  const status = statusOf(err);
  if (status !== null) return `HTTP ${status}`;
  if (err instanceof NoAnswer) return err.message;
  if (err instanceof z.ZodError) return 'an answer not shaped as HubSpot documents it';
  const code = (err as { code?: unknown } | null)?.code;
  return `no answer${typeof code === 'string' ? ` (${code})` : ''}`;
}

const HubspotProperty = z.object({
  calculated: z.boolean().optional(),
  modificationMetadata: z.object({ readOnlyValue: z.boolean().optional() }).optional(),
});

async function checkHubspot(config: Config, policy: Policy, report: OnlineReport, timeoutMs: number): Promise<void> {
  const { checked, problems } = report;
  if (!config.hubspot.accessToken) return void checked.push('HubSpot: skipped (no HUBSPOT_ACCESS_TOKEN)');
  const base = config.hubspot.baseUrl ?? 'https://api.hubapi.com';
  const agent = base.startsWith('http:') ? new http.Agent() : new https.Agent();
  const hubspot = new Client({ accessToken: config.hubspot.accessToken, basePath: base, numberOfApiCallRetries: 0, httpAgent: agent });
  const property = (name: string) => withRetry(timeoutMs, () => hubspot.crm.properties.coreApi.getByName('contacts', name));
  try {
    // The token probe is a property every portal has; its answer is reused when field_mapping names it too.
    const first = await property('email').then((p) => ({ ok: p as unknown }), (err: unknown) => ({ err }));
    const firstStatus = 'err' in first ? statusOf(first.err) : 200;
    if (firstStatus === 401) return void problems.push('HUBSPOT_ACCESS_TOKEN: HubSpot refused the token (401): set the access token of a private app (Settings → Integrations → Private apps)');
    if ('err' in first && (firstStatus === null || firstStatus === 429 || firstStatus >= 500)) {
      return void problems.push(`HUBSPOT_ACCESS_TOKEN: could not be checked (${hubspotReason(first.err)}): check HUBSPOT_BASE_URL and the network`);
    }
    checked.push('HubSpot token');

    const mapped = new Map<string, string>();
    for (const [field, name] of Object.entries(policy.crm.field_mapping)) if (!mapped.has(name)) mapped.set(name, `crm.field_mapping.${field}`);
    if (firstStatus === 403) {
      checked.push('HubSpot contact properties: not checked (the token lacks the crm.schemas.contacts.read scope: add it to the private app to have field_mapping checked)');
    } else {
      for (const [name, path] of mapped) {
        try {
          const raw = name === 'email' && 'ok' in first ? first.ok : await property(name);
          const p = HubspotProperty.parse(raw);
          if (p.modificationMetadata?.readOnlyValue || p.calculated) problems.push(`${path}: ${name} is read-only in HubSpot (set by HubSpot): map this field to a writable property or remove it from field_mapping`);
        } catch (err) {
          problems.push(`${path}: ${statusOf(err) === 404 ? `no contact property ${name} in HubSpot: create it (Settings → Properties) or remove it from field_mapping` : `could not be checked in HubSpot (${hubspotReason(err)})`}`);
        }
      }
      checked.push(`HubSpot contact properties: ${mapped.size}`);
    }

    const owners = new Map<string, string>();
    for (const [user, p] of Object.entries(policy.people)) if (p.hubspot_owner_id && !owners.has(p.hubspot_owner_id)) owners.set(p.hubspot_owner_id, `people.${user}.hubspot_owner_id`);
    for (const [user, id] of Object.entries(policy.crm.owner_map)) if (!owners.has(id)) owners.set(id, `crm.owner_map.${user}`);
    for (const [id, path] of owners) {
      try {
        const owner = await withRetry(timeoutMs, () => hubspot.crm.owners.ownersApi.getById(Number(id), 'id', false));
        if (owner.archived) problems.push(`${path}: HubSpot owner ${id} is archived: name an active owner`);
      } catch (err) {
        const status = statusOf(err);
        if (status === 403) {
          problems.push(`${path}: could not be checked: the token lacks the crm.objects.owners.read scope (the app needs it to set owners): add it to the private app`);
          break;
        }
        problems.push(`${path}: ${status === 404 ? `no HubSpot owner ${id}: fix the id (Settings → Users & Teams) or remove it` : `could not be checked in HubSpot (${hubspotReason(err)})`}`);
      }
    }
    checked.push(`HubSpot owners: ${owners.size}`);
  } finally {
    agent.destroy();
  }
}

async function checkAnthropic(config: Config, policy: Policy, report: OnlineReport, timeoutMs: number): Promise<void> {
  const { checked, problems } = report;
  if (!config.anthropic.apiKey) return void checked.push('Anthropic: skipped (no ANTHROPIC_API_KEY)');
  const client = new Anthropic({ apiKey: config.anthropic.apiKey, baseURL: config.anthropic.baseUrl ?? 'https://api.anthropic.com', maxRetries: 1, timeout: timeoutMs, logLevel: 'off' });
  const models: Array<[string, string]> = [[config.anthropic.model, 'CLASSIFIER_MODEL']];
  const second = policy.classifier.second_opinion;
  if (second.enabled && second.model !== config.anthropic.model) models.push([second.model, 'classifier.second_opinion.model']);
  for (const [model, where] of models) {
    try {
      // Reading a model is free; it proves the key and the model id in one call.
      await client.models.retrieve(model);
      checked.push(`Anthropic model ${model}`);
    } catch (err) {
      const status = err instanceof Anthropic.APIError ? err.status : undefined;
      if (status === 401) return void problems.push('ANTHROPIC_API_KEY: Anthropic refused the key (401): create a key in the Claude Console (Settings → API keys) and set it');
      if (status === 403) return void problems.push('ANTHROPIC_API_KEY: the key may not use the API (403): check its workspace and the organization\'s access in the Claude Console');
      if (status === undefined) return void problems.push(`ANTHROPIC_API_KEY: could not be checked (no answer${err instanceof Anthropic.APIConnectionTimeoutError ? ` within ${timeoutMs / 1000} s` : ''}): check ANTHROPIC_BASE_URL and the network`);
      problems.push(`${where}: ${status === 404 ? `no model ${model} at Anthropic: name a current model id or alias (e.g. claude-haiku-4-5)` : `could not be checked at Anthropic (HTTP ${status})`}`);
    }
  }
}
