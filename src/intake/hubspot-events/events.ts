import { z } from 'zod';

/** HubSpot ids arrive as JSON numbers (within 2^53); digit strings are read too. */
const Id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]);

/** One webhook-subscription event; only the fields we use are declared. */
export const HubspotEventSchema = z.object({
  eventId: Id,
  portalId: Id,
  objectId: Id,
  occurredAt: z.number().optional(),
  subscriptionType: z.string().max(200),
  propertyName: z.string().max(200).optional(),
  changeSource: z.string().max(200).optional(),
});
export type HubspotEvent = z.infer<typeof HubspotEventSchema>;

/** HubSpot sends at most 100 events per request. */
export const HubspotEventsSchema = z.array(HubspotEventSchema).min(1).max(100);

/** A person typing a contact in, or a bulk import, is not an inbound lead. */
export const IGNORED_SOURCES: ReadonlySet<string> = new Set(['IMPORT', 'CRM_UI', 'MOBILE_IOS', 'MOBILE_ANDROID']);

/** Why an event is not a lead to fetch, or null when it is one (a contact created, or its email set). */
export function ignoreReason(e: HubspotEvent): string | null {
  const type = e.subscriptionType.slice(0, 64);
  if (type === 'contact.propertyChange' && e.propertyName !== 'email') return `property ${(e.propertyName ?? '(none)').slice(0, 64)} is not email`;
  if (type !== 'contact.creation' && type !== 'contact.propertyChange') return `subscription type ${type} is not handled`;
  if (e.changeSource && IGNORED_SOURCES.has(e.changeSource)) return `change source ${e.changeSource} is not an inbound lead`;
  return null;
}

/** Each event is idempotent by its own id within its portal: HubSpot retries an event with the same eventId. */
export function hubspotEventKey(portalId: string | number, eventId: string | number): string {
  return `hubspot-event:${portalId}:${eventId}`;
}

/** What the intake stores for the `hubspot_contact` job. */
export const HubspotContactJobSchema = z.object({
  object_id: z.string().regex(/^\d{1,20}$/),
  portal_id: z.string().regex(/^\d{1,20}$/),
  event_id: z.string().regex(/^\d{1,20}$/),
  subscription_type: z.string(),
  occurred_at: z.number().nullable(),
});
export type HubspotContactJob = z.infer<typeof HubspotContactJobSchema>;

export function contactJobPayload(e: HubspotEvent): HubspotContactJob {
  return {
    object_id: String(e.objectId),
    portal_id: String(e.portalId),
    event_id: String(e.eventId),
    subscription_type: e.subscriptionType,
    occurred_at: e.occurredAt ?? null,
  };
}
