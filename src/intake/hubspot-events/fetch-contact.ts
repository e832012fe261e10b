import type { AuditEntry, AuditLog } from '../../store/audit.ts';
import type { Db } from '../../store/db.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Job, JobHandler } from '../../jobs/worker.ts';
import { CONTENT_DEDUPE_WINDOW_MS } from '../idempotency.ts';
import { normalizeHubspot } from '../normalize/hubspot.ts';
import { createIntakeStore } from '../store.ts';
import { hubspotEventKey, HubspotContactJobSchema } from './events.ts';

/** What the workflow normalizer maps, plus createdate (the submission time when no form submission is attached). */
export const CONTACT_PROPERTIES = [
  'email', 'firstname', 'lastname', 'company', 'website', 'phone', 'mobilephone', 'message',
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'createdate',
];

export interface ContactFetchDeps {
  db: Db;
  audit: AuditLog;
  logger: Logger;
  /** The CRM adapter's read of one contact: null on 404, throws on anything to retry. */
  getContact: (id: string, properties: string[]) => Promise<Record<string, string | null> | null>;
  now?: () => number;
}

/**
 * The `hubspot_contact` job: reads the contact a subscription event named, then creates its lead under the id
 * allocated at intake and enqueues process_lead, in one transaction with the job's completion. HubSpot errors
 * are thrown so the worker retries with backoff; a missing contact or one without an email ends the job.
 */
export function createHubspotContactFetcher(deps: ContactFetchDeps): JobHandler {
  const { db, audit, logger } = deps;
  const now = deps.now ?? Date.now;
  const store = createIntakeStore(db, audit);

  return async function fetchContact(job: Job) {
    const base = { lead_id: job.lead_id, correlation_id: job.correlation_id, stage: 'intake' };
    type Entry = Omit<AuditEntry, 'lead_id' | 'correlation_id' | 'stage'>;
    // Every ending writes its audit row (and, for a contact read, its lead) with the job's completion, fenced by the lease.
    const finish = (entry: Entry | (() => Entry)) => {
      db.transaction(() => {
        job.lease.assertHeld();
        audit.record({ ...base, ...(typeof entry === 'function' ? entry() : entry) });
        job.lease.complete();
      }).immediate();
      return 'done' as const;
    };

    const payload = HubspotContactJobSchema.safeParse(job.payload);
    if (!payload.success) return finish({ event: 'skipped', reason: 'hubspot_contact job payload is invalid' });
    const p = payload.data;
    const meta = { object_id: p.object_id, event_id: p.event_id, subscription_type: p.subscription_type.slice(0, 64) };

    const props = await deps.getContact(p.object_id, CONTACT_PROPERTIES);
    if (!props) return finish({ event: 'skipped', reason: `HubSpot contact ${p.object_id} not found (404)`, output: meta });
    const flat = Object.fromEntries(CONTACT_PROPERTIES.map((name) => [name, props[name] ?? null]));
    if (!flat.email?.trim()) return finish({ event: 'skipped', reason: `HubSpot contact ${p.object_id} has no email yet`, output: meta });

    const nowMs = now();
    const normalized = normalizeHubspot({ vid: Number(p.object_id), 'portal-id': Number(p.portal_id), properties: flat }, nowMs);
    if (!normalized.ok) return finish({ event: 'skipped', reason: `HubSpot contact ${p.object_id}: ${normalized.message}`, output: meta });

    let outcome = 'created';
    finish(() => {
      const result = store.createDeferredLead({
        leadId: job.lead_id, correlationId: job.correlation_id, provider: 'hubspot', lead: normalized.lead, nowMs,
        eventKey: hubspotEventKey(p.portal_id, p.event_id), sinceIso: new Date(nowMs - CONTENT_DEDUPE_WINDOW_MS).toISOString(),
      });
      outcome = result.status;
      return result.status === 'duplicate'
        ? { event: 'duplicate_of', decision: result.leadId, reason: 'a lead with this email was created in the last 24 h', output: meta }
        : { event: 'contact_fetched', output: meta };
    });
    logger.info({ lead_id: job.lead_id, object_id: p.object_id, outcome }, 'hubspot contact read');
    return 'done';
  };
}
