import { Client } from '@hubspot/api-client';
import { webApi } from '@slack/bolt';
import type { Config } from '../../config/env.ts';
import type { Policy } from '../../policy/schema.ts';
import { slackErrorCode } from '../../slack/slackErrors.ts';

const statusOf = (err: unknown) => (err as { code?: number; response?: { status?: number } }).code ?? (err as { response?: { status?: number } }).response?.status;

/** Everyone the routing policy names: its people and the pools' managers, with the path to report them by. */
function namedUsers(policy: Policy): Map<string, string> {
  const named = new Map<string, string>();
  for (const user of Object.keys(policy.people)) named.set(user, `people.${user}`);
  for (const [pool, p] of Object.entries(policy.pools)) if (p.manager && !named.has(p.manager)) named.set(p.manager, `pools.${pool}.manager`);
  return named;
}

/**
 * With credentials, that every routed-to person exists: each Slack user (users.info) is active, and each
 * hubspot_owner_id is an active HubSpot owner. One line per problem, prefixed by the policy path it came from.
 */
export async function checkPeopleOnline(config: Config, policy: Policy): Promise<{ checked: string[]; problems: string[] }> {
  const checked: string[] = [];
  const problems: string[] = [];
  if (config.slack.botToken) {
    const slack = new webApi.WebClient(config.slack.botToken, { ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}), retryConfig: { retries: 1 }, timeout: 5000 });
    const named = namedUsers(policy);
    for (const [user, path] of named) {
      try {
        const res = await slack.users.info({ user });
        if (res.user?.deleted) problems.push(`${path}: the Slack user is deactivated`);
      } catch (err) {
        const code = slackErrorCode(err) ?? 'error';
        problems.push(`${path}: ${code === 'user_not_found' ? 'no such Slack user' : `could not be checked in Slack (${code})`}`);
      }
    }
    checked.push(`Slack users: ${named.size}`);
  }
  if (config.hubspot.accessToken) {
    const hubspot = new Client({ accessToken: config.hubspot.accessToken, ...(config.hubspot.baseUrl ? { basePath: config.hubspot.baseUrl } : {}), numberOfApiCallRetries: 1 });
    const owners = Object.entries(policy.people).filter(([, p]) => p.hubspot_owner_id);
    for (const [user, p] of owners) {
      const path = `people.${user}.hubspot_owner_id`;
      try {
        const owner = await hubspot.crm.owners.ownersApi.getById(Number(p.hubspot_owner_id), 'id', false);
        if (owner.archived) problems.push(`${path}: HubSpot owner ${p.hubspot_owner_id} is archived`);
      } catch (err) {
        problems.push(`${path}: ${statusOf(err) === 404 ? `no HubSpot owner ${p.hubspot_owner_id}` : `could not be checked in HubSpot (${String(statusOf(err) ?? 'error')})`}`);
      }
    }
    checked.push(`HubSpot owners: ${owners.length}`);
  }
  return { checked, problems };
}
