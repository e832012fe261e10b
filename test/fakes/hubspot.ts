import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One stored CRM object, shaped as HubSpot's SimplePublicObject. */
export interface FakeObject {
  id: string;
  properties: Record<string, string | null>;
  associations: Array<{ toId: string; typeId: number }>;
  createdAt: string;
  updatedAt: string;
}

/** A scripted failure for the next request(s) matching `match` (e.g. 'POST /crm/v3/objects/notes'). */
export interface Fault {
  match: string;
  status?: number;
  retryAfter?: string;
  /** Waits before handling the request (a slow HubSpot that has not done anything yet). */
  delayMs?: number;
  /** Handles the request at once, then holds the answer this long (HubSpot did the write; the answer is late). */
  lateAnswerMs?: number;
  times?: number;
}

type Collection = 'contacts' | 'companies' | 'notes' | 'tasks';

/** One portal user who can own records, shaped as the Owners API v3 PublicOwner. */
export interface FakeOwner {
  id: string;
  email: string;
  type: 'PERSON';
  firstName: string;
  lastName: string;
  userId: number;
  userIdIncludingInactive: number;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  teams: Array<{ id: string; name: string; primary: boolean }>;
}

/** A contact property definition, shaped as the Properties API v3 `Property`. */
export interface FakeProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  description: string;
  groupName: string;
  options: unknown[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined?: boolean;
  formField: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean; readOnlyOptions?: boolean };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

type PropertySpec = Partial<Omit<FakeProperty, 'name' | 'modificationMetadata'>> & { readOnlyValue?: boolean; readOnlyDefinition?: boolean };

function property(name: string, spec: PropertySpec = {}): FakeProperty {
  const { readOnlyValue = false, readOnlyDefinition = spec.hubspotDefined ?? false, ...rest } = spec;
  return {
    name, label: name, type: 'string', fieldType: 'text', description: '', groupName: 'contactinformation', options: [], displayOrder: -1,
    calculated: false, externalOptions: false, hasUniqueValue: false, hidden: false, formField: !readOnlyValue,
    createdAt: '2019-08-06T02:41:52.000Z', updatedAt: '2019-08-06T02:41:52.000Z', archived: false, ...rest,
    modificationMetadata: { archivable: !readOnlyDefinition, readOnlyDefinition, readOnlyValue },
  };
}

/** Some of the contact properties every HubSpot portal has: most writable, some set by HubSpot alone. */
const DEFAULT_CONTACT_PROPERTIES: FakeProperty[] = [
  property('email', { label: 'Email', hubspotDefined: true, hasUniqueValue: false }),
  property('firstname', { label: 'First Name', hubspotDefined: true }),
  property('lastname', { label: 'Last Name', hubspotDefined: true }),
  property('company', { label: 'Company Name', hubspotDefined: true }),
  property('website', { label: 'Website URL', hubspotDefined: true }),
  property('phone', { label: 'Phone Number', fieldType: 'phonenumber', hubspotDefined: true }),
  property('jobtitle', { label: 'Job Title', hubspotDefined: true }),
  property('message', { label: 'Message', fieldType: 'textarea', hubspotDefined: true }),
  property('lifecyclestage', { label: 'Lifecycle Stage', type: 'enumeration', fieldType: 'radio', hubspotDefined: true }),
  property('hubspot_owner_id', { label: 'Contact owner', type: 'enumeration', fieldType: 'select', hubspotDefined: true, externalOptions: true }),
  property('hs_lead_status', { label: 'Lead Status', type: 'enumeration', fieldType: 'radio', hubspotDefined: true }),
  property('hs_analytics_source', { label: 'Original Traffic Source', type: 'enumeration', fieldType: 'select', hubspotDefined: true, readOnlyValue: true }),
  property('hs_analytics_source_data_1', { label: 'Original Traffic Source Drill-Down 1', hubspotDefined: true, readOnlyValue: true }),
  property('num_associated_deals', { label: 'Number of Associated Deals', type: 'number', fieldType: 'number', hubspotDefined: true, calculated: true, readOnlyValue: true }),
];

/**
 * A local HubSpot CRM v3: contacts (search, batch upsert by email, read, create, update), companies
 * search, notes and tasks with associations and search (EQ / CONTAINS_TOKEN). Bearer auth is
 * required; faults (429 + Retry-After, 5xx, slow answers) are scripted per route. Owners (v3) are
 * listed by email and read by id. Contact property definitions are read by name
 * (GET /crm/v3/properties/contacts/{name}) from `contactProperties`.
 */
export class HubspotFake {
  readonly store: Record<Collection, Map<string, FakeObject>> = { contacts: new Map(), companies: new Map(), notes: new Map(), tasks: new Map() };
  /** Every request; `held` is set when a `lateAnswerMs` fault answers it: true while the answer is held back, false after. */
  readonly requests: Array<{ method: string; path: string; body: unknown; at: number; held?: boolean }> = [];
  readonly owners = new Map<string, FakeOwner>();
  private faults: Fault[] = [];
  private nextId = 1000;
  private server: Server | null = null;
  /** The account's Hub ID, as GET /account-info/v3/details reports it. */
  portalId = 7654321;
  /** Added to every response, to model real network latency in benchmarks. */
  latencyMs = 0;
  /** Properties that exist in the portal; writing any other one fails like HubSpot's PROPERTY_DOESNT_EXIST. */
  unknownProperties = new Set<string>(['bogus_property']);
  /** What the Properties API knows about contact properties (writes still only refuse `unknownProperties`). */
  readonly contactProperties = new Map<string, FakeProperty>(DEFAULT_CONTACT_PROPERTIES.map((p) => [p.name, { ...p }]));

  constructor(readonly token = 'pat-na1-test-token') {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  fail(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  seed(collection: Collection, properties: Record<string, string>): FakeObject {
    return this.put(collection, properties, []);
  }

  seedOwner(o: { email: string; firstName?: string; lastName?: string; archived?: boolean; id?: string }): FakeOwner {
    const now = new Date().toISOString();
    const id = o.id ?? String(this.nextId++);
    const owner: FakeOwner = {
      id, email: o.email, type: 'PERSON', firstName: o.firstName ?? '', lastName: o.lastName ?? '', userId: Number(id) + 9_000_000,
      userIdIncludingInactive: Number(id) + 9_000_000, createdAt: now, updatedAt: now, archived: o.archived ?? false, teams: [],
    };
    this.owners.set(id, owner);
    return owner;
  }

  /** Adds (or replaces) a contact property definition: a custom property unless `hubspotDefined` says otherwise. */
  defineContactProperty(name: string, spec: PropertySpec = {}): FakeProperty {
    const p = property(name, spec);
    this.contactProperties.set(name, p);
    return p;
  }

  all(collection: Collection): FakeObject[] {
    return [...this.store[collection].values()];
  }

  count(method: string, path: string): number {
    return this.requests.filter((r) => r.method === method && r.path === path).length;
  }

  private put(collection: Collection, properties: Record<string, string | null>, associations: FakeObject['associations']): FakeObject {
    const now = new Date().toISOString();
    const id = String(this.nextId++);
    const obj: FakeObject = { id, properties: { ...properties, hs_object_id: id }, associations, createdAt: now, updatedAt: now };
    this.store[collection].set(obj.id, obj);
    return obj;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body: unknown = raw ? JSON.parse(raw) : null;
    const path = (req.url ?? '').split('?')[0] ?? '';
    const query = new URL(req.url ?? '/', 'http://fake').searchParams;
    const method = req.method ?? 'GET';
    const entry: HubspotFake['requests'][number] = { method, path, body, at: Date.now() };
    this.requests.push(entry);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (this.latencyMs) await sleep(this.latencyMs);
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return send(401, { status: 'error', category: 'INVALID_AUTHENTICATION', message: 'Authentication credentials not found.' });
    }
    const fault = this.faults.find((f) => f.match === `${method} ${path}` && (f.times ?? 1) > 0);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.status) {
        const category = fault.status === 429 ? 'RATE_LIMITS' : fault.status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR';
        return send(fault.status, { status: 'error', message: `fake ${fault.status}`, correlationId: 'fake', category }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
      }
    }
    const answer = fault?.lateAnswerMs
      ? (status: number, payload: unknown, headers?: Record<string, string>) => {
          entry.held = true;
          void sleep(fault.lateAnswerMs!).then(() => { entry.held = false; if (!res.destroyed) send(status, payload, headers); });
        }
      : send;
    if (path === '/account-info/v3/details' && method === 'GET') {
      return answer(200, { portalId: this.portalId, accountType: 'STANDARD', timeZone: 'US/Eastern', companyCurrency: 'USD', additionalCurrencies: [], utcOffset: '-05:00', utcOffsetMilliseconds: -18000000, uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1' });
    }
    if (path.startsWith('/crm/v3/owners/')) return this.ownersRoute(method, path, query, answer);
    if (path.startsWith('/crm/v3/properties/')) return this.propertiesRoute(method, path, answer);
    if (path.startsWith('/crm/v4/')) return this.associationsRoute(method, path, query, answer);
    this.route(method, path, body as Record<string, any>, answer);
  }

  /** GET /crm/v3/owners/?email=&archived= (one page: `paging` only when more would follow) and GET /crm/v3/owners/{id}. */
  private ownersRoute(method: string, path: string, query: URLSearchParams, send: (s: number, p: unknown) => void): void {
    if (method !== 'GET') return send(405, { status: 'error', message: 'method not allowed' });
    const archived = query.get('archived') === 'true';
    const id = path.slice('/crm/v3/owners/'.length);
    if (id) {
      const owner = this.owners.get(id);
      if (!owner || owner.archived !== archived) return send(404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: `Owner ${id} not found` });
      return send(200, owner);
    }
    const email = query.get('email')?.toLowerCase();
    const limit = Number(query.get('limit') ?? 100);
    const hits = [...this.owners.values()].filter((o) => o.archived === archived && (!email || o.email.toLowerCase() === email));
    const page = hits.slice(0, limit);
    return send(200, { results: page, ...(hits.length > limit ? { paging: { next: { after: String(limit), link: `?after=${limit}` } } } : {}) });
  }

  /** GET /crm/v3/properties/contacts/{name}: one definition, or 404 as HubSpot answers an unknown name. */
  private propertiesRoute(method: string, path: string, send: (s: number, p: unknown) => void): void {
    const m = /^\/crm\/v3\/properties\/contacts\/([^/]+)$/.exec(path);
    if (method !== 'GET' || !m) return send(404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: `no route ${method} ${path}` });
    const name = decodeURIComponent(m[1] as string);
    const p = this.unknownProperties.has(name) ? undefined : this.contactProperties.get(name);
    if (!p) return send(404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: `Unable to find property ${name} for object type contacts`, correlationId: 'fake' });
    return send(200, p);
  }

  /** GET /crm/v4/objects/contacts/{id}/associations/{notes|tasks}: the engagements associated with a contact, paged by `after`. */
  private associationsRoute(method: string, path: string, query: URLSearchParams, send: (s: number, p: unknown) => void): void {
    const m = /^\/crm\/v4\/objects\/contacts\/([0-9]+)\/associations\/(notes|tasks)$/.exec(path);
    if (method !== 'GET' || !m) return send(404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: `no route ${method} ${path}` });
    const [, contactId, type] = m as unknown as [string, string, 'notes' | 'tasks'];
    const typeId = type === 'notes' ? 202 : 204;
    const all = this.all(type).filter((o) => o.associations.some((a) => a.toId === contactId && a.typeId === typeId));
    const after = Number(query.get('after') ?? 0);
    const limit = Number(query.get('limit') ?? 500);
    const page = all.slice(after, after + limit).map((o) => ({ toObjectId: Number(o.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId, label: null }] }));
    send(200, { results: page, ...(after + limit < all.length ? { paging: { next: { after: String(after + limit), link: '' } } } : {}) });
  }

  private route(method: string, path: string, body: Record<string, any>, send: (s: number, p: unknown, h?: Record<string, string>) => void): void {
    const m = /^\/crm\/v3\/objects\/(contacts|companies|notes|tasks)(?:\/(search|batch\/upsert|batch\/read|[0-9]+))?$/.exec(path);
    if (!m) return send(404, { status: 'error', message: `no route ${method} ${path}`, category: 'OBJECT_NOT_FOUND' });
    const collection = m[1] as Collection;
    const sub = m[2];
    const now = () => new Date().toISOString();
    const view = (o: FakeObject, props?: string[]) => ({
      id: o.id,
      properties: props ? Object.fromEntries(props.map((p) => [p, o.properties[p] ?? null])) : o.properties,
      createdAt: o.createdAt, updatedAt: o.updatedAt, archived: false,
    });
    const unknown = (props: Record<string, unknown>) => Object.keys(props).find((k) => this.unknownProperties.has(k));

    if (method === 'POST' && sub === 'search') {
      const filters: Array<{ propertyName: string; operator: string; value: string }> = body.filterGroups?.[0]?.filters ?? [];
      const hits = this.all(collection).filter((o) =>
        filters.every((f) => {
          const v = (o.properties[f.propertyName] ?? '').toLowerCase();
          if (f.operator === 'EQ') return v === String(f.value).toLowerCase();
          if (f.operator === 'CONTAINS_TOKEN') return v.split(/[^a-z0-9]+/).includes(String(f.value).toLowerCase());
          return false;
        }),
      );
      const limited = hits.slice(0, body.limit ?? 10);
      return send(200, { total: hits.length, results: limited.map((o) => view(o, body.properties)) });
    }
    if (method === 'POST' && sub === 'batch/upsert' && collection === 'contacts') {
      const results: unknown[] = [];
      const errors: unknown[] = [];
      for (const input of body.inputs as Array<{ idProperty: string; id: string; properties: Record<string, string> }>) {
        const bad = unknown(input.properties);
        if (input.idProperty !== 'email' || bad) {
          errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: `Property "${bad ?? input.idProperty}" does not exist`, context: { id: [input.id] }, errors: [], links: {} });
          continue;
        }
        const existing = this.all('contacts').find((o) => o.properties['email'] === input.id.toLowerCase());
        if (existing) {
          Object.assign(existing.properties, input.properties);
          existing.updatedAt = now();
          results.push({ ...view(existing), new: false });
        } else {
          results.push({ ...view(this.put('contacts', { ...input.properties, email: input.id.toLowerCase() }, [])), new: true });
        }
      }
      const payload = { status: 'COMPLETE', results, startedAt: now(), completedAt: now(), ...(errors.length ? { numErrors: errors.length, errors } : {}) };
      return send(errors.length ? 207 : 200, payload);
    }
    if (method === 'POST' && sub === 'batch/read') {
      const found = (body.inputs as Array<{ id: string }>).map((i) => this.store[collection].get(String(i.id))).filter((o): o is FakeObject => Boolean(o));
      return send(200, { status: 'COMPLETE', results: found.map((o) => view(o, body.properties)), startedAt: now(), completedAt: now() });
    }
    if (method === 'POST' && !sub) {
      const bad = unknown(body.properties ?? {});
      if (bad) return send(400, { status: 'error', category: 'VALIDATION_ERROR', message: `Property "${bad}" does not exist` });
      const assoc = (body.associations ?? []).map((a: any) => ({ toId: String(a.to.id), typeId: a.types[0].associationTypeId }));
      return send(201, view(this.put(collection, body.properties, assoc)));
    }
    const obj = sub ? this.store[collection].get(sub) : undefined;
    if (!obj) return send(404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'resource not found' });
    if (method === 'GET') return send(200, view(obj));
    if (method === 'PATCH') {
      Object.assign(obj.properties, body.properties);
      obj.updatedAt = now();
      return send(200, view(obj));
    }
    return send(405, { status: 'error', message: 'method not allowed' });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
