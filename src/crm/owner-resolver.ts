import { z } from 'zod';
import { PermanentError } from '../core/upstream.ts';
import type { EnrichmentCache } from '../enrich/cache.ts';
import type { CrmOwner } from './types.ts';

export interface OwnerResolution {
  ownerId: string | null;
  via: 'policy' | 'email' | 'none';
  /** Why no owner was found (shown in the claim note and to the clicker). */
  reason?: string;
}

export interface OwnerResolver {
  /** Throws TransientError when a lookup is worth retrying (429/5xx/timeouts); every other failure resolves to `via: 'none'` with a reason. */
  resolve(slackUserId: string): Promise<OwnerResolution>;
}

/** Slack user → profile email (a Slack concern: see slack/user-email.ts). A profile without an email answers `email: null` and why. */
export type EmailOfSlackUser = (slackUserId: string) => Promise<{ email: string | null; reason?: string }>;

export interface OwnerResolverDeps {
  /** The policy's crm.owner_map, read on every call so a reloaded policy applies at once. */
  ownerMap: () => Record<string, string>;
  /** Null when Slack is not connected (recorded mode). */
  emailOf: EmailOfSlackUser | null;
  findOwnerByEmail: (email: string) => Promise<CrmOwner | null>;
  cache: EnrichmentCache;
  /** A found owner is kept a day; "nobody matches" an hour, so a rep added to HubSpot is picked up the same day. */
  ttlMs?: { found: number; missing: number };
}

const Cached = z.object({ ownerId: z.string().nullable(), reason: z.string().optional() });
type Cached = z.infer<typeof Cached>;

const cacheKey = (slackUserId: string) => `crm_owner:hubspot:${slackUserId}`;

function failure(err: unknown, what: string): OwnerResolution {
  const detail = err instanceof Error ? err.message.slice(0, 160) : 'unknown error';
  return { ownerId: null, via: 'none', reason: `${what} failed (${detail})` };
}

/**
 * Slack user → CRM owner: the policy's explicit owner_map first, otherwise the Slack profile email
 * matched against the CRM's owners. Email-based answers (found or not) are cached in
 * enrichment_cache by Slack user id; the email itself is never stored. Errors are not cached.
 */
export function createOwnerResolver(deps: OwnerResolverDeps): OwnerResolver {
  const ttl = deps.ttlMs ?? { found: 24 * 3_600_000, missing: 3_600_000 };

  function remember(slackUserId: string, value: Cached): OwnerResolution {
    deps.cache.put(cacheKey(slackUserId), value, value.ownerId ? ttl.found : ttl.missing);
    return { ownerId: value.ownerId, via: value.ownerId ? 'email' : 'none', ...(value.reason ? { reason: value.reason } : {}) };
  }

  return {
    async resolve(slackUserId) {
      const mapped = deps.ownerMap()[slackUserId];
      if (mapped) return { ownerId: mapped, via: 'policy' };
      const hit = Cached.safeParse(deps.cache.get<unknown>(cacheKey(slackUserId))?.value);
      if (hit.success) return { ownerId: hit.data.ownerId, via: hit.data.ownerId ? 'email' : 'none', ...(hit.data.reason ? { reason: hit.data.reason } : {}) };
      if (!deps.emailOf) return { ownerId: null, via: 'none', reason: 'Slack is not connected, so the claimer\'s email is unknown; add them to crm.owner_map' };

      let email: string | null;
      let why: string | undefined;
      try {
        ({ email, reason: why } = await deps.emailOf(slackUserId));
      } catch (err) {
        if (!(err instanceof PermanentError)) throw err;
        return failure(err, 'Slack users.info');
      }
      if (!email) return remember(slackUserId, { ownerId: null, reason: why ?? 'the Slack profile shows no email' });

      let owner: CrmOwner | null;
      try {
        owner = await deps.findOwnerByEmail(email);
      } catch (err) {
        if (!(err instanceof PermanentError)) throw err;
        return failure(err, 'HubSpot owner lookup');
      }
      if (!owner) return remember(slackUserId, { ownerId: null, reason: 'no active HubSpot owner has the claimer\'s Slack email; add them to crm.owner_map' });
      return remember(slackUserId, { ownerId: owner.id });
    },
  };
}
