import { Client } from '@hubspot/api-client';
import { z } from 'zod';
import { ConsecutiveBreaker, TimeoutStrategy, circuitBreaker, handleWhen, timeout, wrap } from 'cockatiel';
import { TransientError, PermanentError } from '../core/upstream.ts';
import { clipText } from '../core/text.ts';
import type { Crm, CrmCompany, CrmContact, CrmTaskInput, CrmWrite } from './types.ts';
import { writableOnly } from './properties.ts';
import { classifyHubspotError } from './hubspot-errors.ts';
import { dedupeMarker } from './dedupe-marker.ts';
import { hubspotOwnerOps } from './hubspot-owners.ts';
import type { InflightLedger } from '../outbox/inflight.ts';

// HubSpot-defined association type ids (v4 associations): note→contact 202, task→contact 204.
const NOTE_TO_CONTACT = 202;
const TASK_TO_CONTACT = 204;
const CONTACT_PROPS = ['email', 'lifecyclestage', 'hubspot_owner_id', 'num_associated_deals', 'hs_lead_status'];
const ContactProperties = z.record(z.string(), z.string().nullable());
const COMPANY_PROPS = ['domain', 'name', 'industry', 'numberofemployees', 'country', 'description', 'lifecyclestage', 'hs_num_open_deals', 'hubspot_owner_id'];

export interface HubspotCrmOptions {
  accessToken: string;
  baseUrl?: string;
  timeoutMs?: number;
  /** How long the breaker stays open before one trial call (effects meeting it are deferred, not failed). */
  halfOpenAfterMs?: number;
  /** Remembers note and task creates whose outcome is unknown, so a retry looks before creating again. */
  ledger: InflightLedger;
}

type Engagement = 'notes' | 'tasks';
const BODY_PROP: Record<Engagement, string> = { notes: 'hs_note_body', tasks: 'hs_task_body' };

const int = (v: string | null | undefined): number | null => (v == null || v === '' || !Number.isFinite(Number(v)) ? null : Math.trunc(Number(v)));

/**
 * HubSpot CRM v3 through the official SDK. HubSpot has no optimistic concurrency on CRM objects
 * (no ETag / If-Match), so writes are made safe by shape instead: contacts go through batch upsert
 * with idProperty=email (idempotent, only the mapped properties are sent, so a rep's concurrent edit
 * of any other property is never overwritten), and notes/tasks carry a dedupe marker. HubSpot has no
 * idempotent create for engagements, so a create whose outcome is unknown (timeout, 5xx, crash) is
 * not repeated blindly: the ledger waits out the straggler, then the contact's associated notes or
 * tasks are read (associations and batch reads are consistent at once, unlike search's index) and
 * the marked one, if any, is recorded instead.
 */
export function createHubspotCrm(opts: HubspotCrmOptions): Crm {
  const client = new Client({ accessToken: opts.accessToken, basePath: opts.baseUrl, numberOfApiCallRetries: 0 });
  const halfOpenAfter = opts.halfOpenAfterMs ?? 15_000;
  const breaker = circuitBreaker(handleWhen((e) => !(e instanceof PermanentError)), { halfOpenAfter, breaker: new ConsecutiveBreaker(5) });
  const policy = wrap(breaker, timeout(opts.timeoutMs ?? 8_000, TimeoutStrategy.Aggressive));

  async function call<T>(op: string, fn: () => Promise<T>): Promise<T> {
    try {
      // A signal per call: without one, cockatiel hangs every in-flight call's listener on one shared signal.
      return await policy.execute(async () => {
        try {
          return await fn();
        } catch (err) {
          throw classifyHubspotError(err, op, halfOpenAfter);
        }
      }, new AbortController().signal);
    } catch (err) {
      throw classifyHubspotError(err, op, halfOpenAfter);
    }
  }

  /** The first contact or company whose `property` equals `value` (case-insensitively, as HubSpot stores both lower-case). */
  async function findOne(objectType: 'contacts' | 'companies', property: string, value: string, properties: string[]) {
    const res = await call(`search ${objectType}`, () =>
      client.crm[objectType].searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: property, operator: 'EQ' as never, value: value.toLowerCase() }] }],
        properties,
        limit: 1,
      }),
    );
    return res.results[0] ?? null;
  }

  /** The contact's note or task carrying `marker`: associations, then bodies in batches of 100. */
  async function findAssociated(type: Engagement, contactId: string, marker: string): Promise<CrmWrite | null> {
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await call(`list ${type}`, () => client.crm.associations.v4.basicApi.getPage('contacts', contactId, type, after, 500));
      const ids = res.results.map((r) => String(r.toObjectId));
      for (let i = 0; i < ids.length; i += 100) {
        const inputs = ids.slice(i, i + 100).map((id) => ({ id }));
        const batch = await call(`read ${type}`, () => client.crm.objects[type].batchApi.read({ inputs, properties: [BODY_PROP[type]], propertiesWithHistory: [] }));
        const hit = batch.results.find((o) => (o.properties[BODY_PROP[type]] ?? '').includes(marker));
        if (hit) return { id: hit.id, created: false };
      }
      after = res.paging?.next?.after;
      if (!after) return null;
    }
    return null;
  }

  function createOnce(type: Engagement, contactId: string, dedupeKey: string, create: (marker: string) => Promise<{ id: string }>): Promise<CrmWrite> {
    const marker = dedupeMarker(dedupeKey);
    return opts.ledger.once(dedupeKey, `hubspot_${type}`, {
      find: () => findAssociated(type, contactId, marker),
      perform: async () => ({ id: (await create(marker)).id, created: true }),
    });
  }

  function createNote(contactId: string, body: string, dedupeKey: string): Promise<CrmWrite> {
    return createOnce('notes', contactId, dedupeKey, (marker) =>
      call('create note', () =>
        client.crm.objects.notes.basicApi.create({
          properties: { hs_timestamp: new Date().toISOString(), hs_note_body: `${body}\n\n[${marker}]` },
          associations: [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: NOTE_TO_CONTACT }] }],
        }),
      ),
    );
  }

  /** The contact's `properties`, or null when HubSpot has no such contact (404). */
  async function getContact(id: string, properties: string[]): Promise<Record<string, string | null> | null> {
    try {
      const res = await call('get contact', () => client.crm.contacts.basicApi.getById(id, properties));
      const parsed = ContactProperties.safeParse(res?.properties);
      if (!parsed.success) throw new PermanentError('hubspot get contact: unexpected response shape');
      return parsed.data;
    } catch (err) {
      if (err instanceof PermanentError && (err.cause as { code?: unknown } | undefined)?.code === 404) return null;
      throw err;
    }
  }

  // The Hub ID and UI domain (EU portals live on app-eu1) for record links: read once, retried after a failure.
  let account: Promise<{ portalId: number; uiDomain: string }> | null = null;
  async function recordUrl(contactId: string): Promise<string | null> {
    account ??= call('read account details', async () => {
      const res = await client.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
      const body = (await res.json()) as { portalId?: unknown; uiDomain?: unknown };
      if (typeof body.portalId !== 'number') throw new PermanentError('account details without a portalId');
      const uiDomain = typeof body.uiDomain === 'string' && /^app(-[a-z0-9]+)?\.hubspot\.com$/.test(body.uiDomain) ? body.uiDomain : 'app.hubspot.com';
      return { portalId: body.portalId, uiDomain };
    });
    try {
      const { portalId, uiDomain } = await account;
      return /^[0-9]+$/.test(contactId) ? `https://${uiDomain}/contacts/${portalId}/record/0-1/${contactId}` : null;
    } catch {
      account = null;
      return null;
    }
  }

  return {
    name: 'hubspot',
    recordUrl,
    getContactProperties: getContact,
    async findContactByEmail(email): Promise<CrmContact | null> {
      const hit = await findOne('contacts', 'email', email, CONTACT_PROPS);
      if (!hit) return null;
      const p = hit.properties;
      return {
        id: hit.id,
        email: p['email'] ?? email,
        lifecycle_stage: p['lifecyclestage'] ?? null,
        owner_id: p['hubspot_owner_id'] || null,
        open_deals: int(p['num_associated_deals']) ?? 0,
        lead_status: p['hs_lead_status'] ?? null,
      };
    },
    async findCompanyByDomain(domain): Promise<CrmCompany | null> {
      const hit = await findOne('companies', 'domain', domain, COMPANY_PROPS);
      if (!hit) return null;
      const p = hit.properties;
      return {
        id: hit.id,
        domain: p['domain'] ?? domain,
        name: p['name'] || null,
        industry: p['industry'] || null,
        employee_count: int(p['numberofemployees']),
        country: p['country'] || null,
        description: p['description'] || null,
        lifecycle_stage: p['lifecyclestage'] || null,
        open_deals: int(p['hs_num_open_deals']) ?? 0,
        owner_id: p['hubspot_owner_id'] || null,
      };
    },
    async upsertContact(email, properties): Promise<CrmWrite> {
      const props = { ...writableOnly(properties), email: email.toLowerCase() };
      const res = await call('upsert contact', () =>
        client.crm.contacts.batchApi.upsert({ inputs: [{ idProperty: 'email', id: email.toLowerCase(), properties: props }] }),
      );
      const errors = 'errors' in res ? (res.errors ?? []) : [];
      const result = res.results[0];
      if (!result) {
        // 207 with the one input failing: HubSpot rejected the data (bad property, invalid value).
        const first = errors[0];
        const status = Number(first?.status ?? 400);
        const msg = `hubspot upsert contact: ${first?.category ?? 'error'} ${first?.message?.slice(0, 200) ?? ''}`.trim();
        throw status === 429 || status >= 500 ? new TransientError(msg) : new PermanentError(msg);
      }
      return { id: result.id, created: result._new };
    },
    addNote: createNote,
    async createTask(input: CrmTaskInput): Promise<CrmWrite> {
      const hint = input.ownerHint ? `\nFor: ${input.ownerHint}` : '';
      return createOnce('tasks', input.contactId, input.dedupeKey, (marker) =>
        call('create task', () =>
          client.crm.objects.tasks.basicApi.create({
            properties: {
              hs_timestamp: input.due.toISOString(),
              hs_task_subject: clipText(input.subject, 250),
              hs_task_body: `${input.body}${hint}\n\n[${marker}]`,
              hs_task_status: 'NOT_STARTED',
              hs_task_type: 'TODO',
            },
            associations: [{ to: { id: input.contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: TASK_TO_CONTACT }] }],
          }),
        ),
      );
    },
    ...hubspotOwnerOps(client, call, createNote),
  };
}
