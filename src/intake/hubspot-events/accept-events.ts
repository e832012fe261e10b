import { firstIssueLine } from '../../core/errors.ts';
import type { Logger } from '../../observability/logger.ts';
import { hashInput } from '../../store/audit.ts';
import type { IntakeResponse } from '../accept.ts';
import type { IntakeStore } from '../store.ts';
import { contactJobPayload, hubspotEventKey, HubspotEventsSchema, ignoreReason } from './events.ts';

export const NO_ACCESS_TOKEN = 'HubSpot webhook subscriptions carry only ids; set HUBSPOT_ACCESS_TOKEN so lead-triage can read the contact';

export interface EventIntakeContext {
  store: IntakeStore;
  log: Logger;
  accessTokenSet: boolean;
  remoteIp: string;
  nowMs: number;
  started: number;
  via: 'webhook' | 'local';
  reject: (status: number, error: string, message: string, field?: string) => IntakeResponse;
}

type EventStatus = 'enqueued' | 'duplicate' | 'ignored';
interface EventResult { event_id: string | number; status: EventStatus; lead_id?: string; reason?: string }

/**
 * A HubSpot webhook-subscription delivery (a JSON array of up to 100 events). The events carry only ids, so
 * each relevant one is stored with a `hubspot_contact` job that reads the contact later: HubSpot gets its answer
 * without waiting on its own API.
 */
export function acceptHubspotEvents(body: unknown[], ctx: EventIntakeContext): IntakeResponse {
  if (!ctx.accessTokenSet) return ctx.reject(503, 'provider_not_configured', NO_ACCESS_TOKEN);
  const parsed = HubspotEventsSchema.safeParse(body);
  if (!parsed.success) {
    const { field, line } = firstIssueLine(parsed.error.issues);
    return ctx.reject(400, 'payload_invalid', line, field);
  }

  const events: EventResult[] = parsed.data.map((e, i) => {
    const reason = ignoreReason(e);
    if (reason) return { event_id: e.eventId, status: 'ignored', reason };
    const raw = JSON.stringify(body[i]);
    const outcome = ctx.store.saveDeferred({
      provider: 'hubspot',
      key: hubspotEventKey(e.portalId, e.eventId),
      rawBody: raw,
      remoteIp: ctx.remoteIp,
      nowMs: ctx.nowMs,
      inputHash: hashInput(raw),
      job: { kind: 'hubspot_contact', payload: contactJobPayload(e) },
      output: {
        provider: 'hubspot', via: ctx.via, idempotency: 'event', event_id: String(e.eventId), object_id: String(e.objectId),
        subscription_type: e.subscriptionType.slice(0, 64), latency_ms: Math.round((performance.now() - ctx.started) * 100) / 100,
      },
    });
    return { event_id: e.eventId, status: outcome.status, lead_id: outcome.leadId };
  });

  const has = (s: EventStatus) => events.some((e) => e.status === s);
  const status: EventStatus = has('enqueued') ? 'enqueued' : has('duplicate') ? 'duplicate' : 'ignored';
  const leadId = events.find((e) => e.lead_id)?.lead_id ?? null;
  const count = (s: EventStatus) => events.filter((e) => e.status === s).length;
  ctx.log.info({ provider: 'hubspot', enqueued: count('enqueued'), duplicate: count('duplicate'), ignored: count('ignored') }, 'hubspot subscription events received');
  return { status: 202, body: { status, lead_id: leadId, events }, ...(leadId ? { lead_id: leadId } : {}) };
}
