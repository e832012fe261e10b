import type { webApi } from '@slack/bolt';
import type { EmailOfSlackUser } from '../crm/owner-resolver.ts';
import { slackErrorCode, toUpstreamError } from './slackErrors.ts';

const EMAIL = /^[^\s@<>]{1,64}@[^\s@<>]{1,255}$/;

/**
 * Slack user → profile email via users.info (scopes users:read + users:read.email; without the
 * latter Slack simply leaves `profile.email` out). Rate limits and 5xx surface as TransientError.
 */
export function slackEmailLookup(client: webApi.WebClient): EmailOfSlackUser {
  return async (slackUserId) => {
    let res;
    try {
      res = await client.users.info({ user: slackUserId });
    } catch (err) {
      const code = slackErrorCode(err);
      if (code === 'user_not_found' || code === 'user_not_visible') return { email: null, reason: `Slack does not show this user (${code})` };
      throw toUpstreamError(err);
    }
    const user = res.user;
    if (!user || user.deleted) return { email: null, reason: 'the Slack user is deactivated' };
    const email = user.profile?.email?.trim().toLowerCase();
    if (!email) return { email: null, reason: 'the Slack profile shows no email (the app needs the users:read.email scope)' };
    if (!EMAIL.test(email)) return { email: null, reason: 'the Slack profile email is not an address' };
    return { email };
  };
}
