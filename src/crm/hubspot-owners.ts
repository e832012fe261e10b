import type { Client } from '@hubspot/api-client';
import { PermanentError } from '../core/upstream.ts';
import { clipText } from '../core/text.ts';
import type { CrmOwner, CrmWrite, OwnerAssignment, OwnerClaim } from './types.ts';

type Call = <T>(op: string, fn: () => Promise<T>) => Promise<T>;
type CreateNote = (contactId: string, body: string, dedupeKey: string) => Promise<CrmWrite>;

interface OwnerLike { id: string; email?: string; firstName?: string; lastName?: string; archived?: boolean }

function toOwner(o: OwnerLike): CrmOwner {
  const name = [o.firstName, o.lastName].filter(Boolean).join(' ').trim();
  return { id: o.id, email: o.email ?? null, label: clipText(name || o.email || `HubSpot owner ${o.id}`, 120) };
}

/** The claim note: who claimed, and what happened to the HubSpot owner (and why). */
export function claimNoteBody(claim: OwnerClaim, ownerId: string | null, unchanged: OwnerAssignment['unchanged']): string {
  const head = claim.headline ?? `Claimed in Slack by user ${claim.slackUserId}`;
  if (ownerId) return `${head} (HubSpot owner ${ownerId}, matched by ${claim.via === 'policy' ? 'the policy owner_map' : 'Slack email'}).`;
  return `${head}. HubSpot owner unchanged: ${unchanged?.detail ?? 'no owner resolved'}.`;
}

/**
 * Owner reads and the claim write for the HubSpot adapter. Owners API v3 (`GET /crm/v3/owners/`,
 * scope crm.objects.owners.read) finds an owner by email; the contact's `hubspot_owner_id` is read
 * before it is written because HubSpot has no If-Match: an owner a person set is never replaced knowingly.
 */
export function hubspotOwnerOps(client: Client, call: Call, createNote: CreateNote) {
  /** Best effort, for telling the clicker who owns the contact: any failure falls back to the bare id. */
  async function describe(ownerId: string): Promise<CrmOwner> {
    try {
      if (!/^[0-9]+$/.test(ownerId)) throw new Error('not a numeric owner id');
      return toOwner(await call('read owner', () => client.crm.owners.ownersApi.getById(Number(ownerId), 'id', false)));
    } catch {
      return { id: ownerId, email: null, label: `HubSpot owner ${ownerId}` };
    }
  }

  return {
    async findOwnerByEmail(email: string): Promise<CrmOwner | null> {
      const page = await call('find owner', () => client.crm.owners.ownersApi.getPage(email.toLowerCase(), undefined, 10, false));
      const hit = page.results.find((o) => !o.archived && o.email?.toLowerCase() === email.toLowerCase());
      return hit ? toOwner(hit) : null;
    },

    async assignOwner(contactId: string, claim: OwnerClaim, dedupeKey: string): Promise<OwnerAssignment> {
      let ownerId: string | null = null;
      let unchanged: OwnerAssignment['unchanged'] = null;
      if (!claim.ownerId) {
        unchanged = { reason: 'unresolved', detail: claim.reason ?? 'no HubSpot owner found for this Slack user' };
      } else {
        const contact = await call('read contact', () => client.crm.contacts.basicApi.getById(contactId, ['hubspot_owner_id']));
        const current = contact.properties['hubspot_owner_id'] || null;
        if (current === claim.ownerId) {
          ownerId = current; // set by an earlier attempt of this claim, or already theirs
        } else if (current && current !== claim.replaceableOwnerId) {
          const owner = await describe(current);
          unchanged = { reason: 'owned_by_other', detail: `contact already owned by ${owner.label}`, current_owner: { id: owner.id, label: owner.label } };
        } else {
          try {
            await call('set owner', () => client.crm.contacts.basicApi.update(contactId, { properties: { hubspot_owner_id: claim.ownerId! } }));
            ownerId = claim.ownerId;
          } catch (err) {
            // An owner id HubSpot refuses (deactivated user, stale map entry) must not cost the claim its note.
            if (!(err instanceof PermanentError)) throw err;
            unchanged = { reason: 'rejected', detail: `HubSpot refused owner ${claim.ownerId} (${err.message.slice(0, 160)})` };
          }
        }
      }
      const note = await createNote(contactId, claimNoteBody(claim, ownerId, unchanged), dedupeKey);
      return { owner_id: ownerId, unchanged, note };
    },
  };
}
