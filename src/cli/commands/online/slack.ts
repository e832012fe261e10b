import { webApi, type LogLevel } from '@slack/bolt';
import { z } from 'zod';
import type { Config } from '../../../config/env.ts';
import type { Policy } from '../../../policy/schema.ts';
import { slackErrorCode } from '../../../slack/slackErrors.ts';
import type { OnlineReport } from './index.ts';

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

export async function checkSlack(config: Config, policy: Policy, report: OnlineReport, timeoutMs: number): Promise<void> {
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
