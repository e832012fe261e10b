import type { webApi } from '@slack/bolt';
import type { Policy } from '../policy/schema.ts';
import type { Logger } from '../observability/logger.ts';

export interface Approvers {
  isApprover(userId: string): Promise<boolean>;
}

/**
 * Approvers are the policy's users plus, when named, the members of its user group. The group is
 * read with usergroups.users.list and cached briefly so a click stays well inside Slack's 3 s;
 * if the lookup fails, only the listed users are approvers (fail closed).
 */
export function createApprovers(policyOf: () => Policy, client: webApi.WebClient | null, logger: Logger, ttlMs = 60_000): Approvers {
  let cache: { group: string; users: Set<string>; until: number } | null = null;

  async function groupMembers(): Promise<Set<string>> {
    const group = policyOf().approvers.usergroup;
    if (!group || !client) return new Set();
    if (cache && cache.group === group && cache.until > Date.now()) return cache.users;
    try {
      const res = await client.usergroups.users.list({ usergroup: group });
      cache = { group, users: new Set(res.users ?? []), until: Date.now() + ttlMs };
      return cache.users;
    } catch (err) {
      logger.warn({ err: (err as Error).message, usergroup: group }, 'approver group lookup failed; only listed approvers allowed');
      return cache?.group === group ? cache.users : new Set();
    }
  }

  return {
    async isApprover(userId) {
      // Read on every check, so a reloaded policy's approvers apply at once.
      return policyOf().approvers.users.includes(userId) || (await groupMembers()).has(userId);
    },
  };
}
