import http from 'node:http';
import https from 'node:https';
import { Client } from '@hubspot/api-client';
import { z } from 'zod';
import type { Config } from '../../../config/env.ts';
import type { Policy } from '../../../policy/schema.ts';
import type { OnlineReport } from './index.ts';

class NoAnswer extends Error {}

/** HubSpot's SDK has no timeout: each call races one, and the agent's sockets are destroyed when the check ends. */
function bounded<T>(ms: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new NoAnswer(`no answer within ${ms / 1000} s`)), ms); });
  return Promise.race([call(), late]).finally(() => clearTimeout(timer));
}

const statusOf = (err: unknown): number | null => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
};

/** One try, and one more only when another could help (no answer, 429, 5xx). */
async function withRetry<T>(ms: number, call: () => Promise<T>): Promise<T> {
  try {
    return await bounded(ms, call);
  } catch (err) {
    const status = statusOf(err);
    if (status !== null && status !== 429 && status < 500) throw err;
    await new Promise((r) => setTimeout(r, 300));
    return bounded(ms, call);
  }
}

function hubspotReason(err: unknown): string {
  const status = statusOf(err);
  if (status !== null) return `HTTP ${status}`;
  if (err instanceof NoAnswer) return err.message;
  if (err instanceof z.ZodError) return 'an answer not shaped as HubSpot documents it';
  const code = (err as { code?: unknown } | null)?.code;
  return `no answer${typeof code === 'string' ? ` (${code})` : ''}`;
}

const HubspotProperty = z.object({
  calculated: z.boolean().optional(),
  modificationMetadata: z.object({ readOnlyValue: z.boolean().optional() }).optional(),
});

export async function checkHubspot(config: Config, policy: Policy, report: OnlineReport, timeoutMs: number): Promise<void> {
  const { checked, problems } = report;
  if (!config.hubspot.accessToken) return void checked.push('HubSpot: skipped (no HUBSPOT_ACCESS_TOKEN)');
  const base = config.hubspot.baseUrl ?? 'https://api.hubapi.com';
  const agent = base.startsWith('http:') ? new http.Agent() : new https.Agent();
  const hubspot = new Client({ accessToken: config.hubspot.accessToken, basePath: base, numberOfApiCallRetries: 0, httpAgent: agent });
  const property = (name: string) => withRetry(timeoutMs, () => hubspot.crm.properties.coreApi.getByName('contacts', name));
  try {
    // The token probe is a property every portal has; its answer is reused when field_mapping names it too.
    const first = await property('email').then((p) => ({ ok: p as unknown }), (err: unknown) => ({ err }));
    const firstStatus = 'err' in first ? statusOf(first.err) : 200;
    if (firstStatus === 401) return void problems.push('HUBSPOT_ACCESS_TOKEN: HubSpot refused the token (401): set the access token of a private app (Settings → Integrations → Private apps)');
    if ('err' in first && (firstStatus === null || firstStatus === 429 || firstStatus >= 500)) {
      return void problems.push(`HUBSPOT_ACCESS_TOKEN: could not be checked (${hubspotReason(first.err)}): check HUBSPOT_BASE_URL and the network`);
    }
    checked.push('HubSpot token');

    const mapped = new Map<string, string>();
    for (const [field, name] of Object.entries(policy.crm.field_mapping)) if (!mapped.has(name)) mapped.set(name, `crm.field_mapping.${field}`);
    if (firstStatus === 403) {
      checked.push('HubSpot contact properties: not checked (the token lacks the crm.schemas.contacts.read scope: add it to the private app to have field_mapping checked)');
    } else {
      for (const [name, path] of mapped) {
        try {
          const raw = name === 'email' && 'ok' in first ? first.ok : await property(name);
          const p = HubspotProperty.parse(raw);
          if (p.modificationMetadata?.readOnlyValue || p.calculated) problems.push(`${path}: ${name} is read-only in HubSpot (set by HubSpot): map this field to a writable property or remove it from field_mapping`);
        } catch (err) {
          problems.push(`${path}: ${statusOf(err) === 404 ? `no contact property ${name} in HubSpot: create it (Settings → Properties) or remove it from field_mapping` : `could not be checked in HubSpot (${hubspotReason(err)})`}`);
        }
      }
      checked.push(`HubSpot contact properties: ${mapped.size}`);
    }

    const owners = new Map<string, string>();
    for (const [user, p] of Object.entries(policy.people)) if (p.hubspot_owner_id && !owners.has(p.hubspot_owner_id)) owners.set(p.hubspot_owner_id, `people.${user}.hubspot_owner_id`);
    for (const [user, id] of Object.entries(policy.crm.owner_map)) if (!owners.has(id)) owners.set(id, `crm.owner_map.${user}`);
    for (const [id, path] of owners) {
      try {
        const owner = await withRetry(timeoutMs, () => hubspot.crm.owners.ownersApi.getById(Number(id), 'id', false));
        if (owner.archived) problems.push(`${path}: HubSpot owner ${id} is archived: name an active owner`);
      } catch (err) {
        const status = statusOf(err);
        if (status === 403) {
          problems.push(`${path}: could not be checked: the token lacks the crm.objects.owners.read scope (the app needs it to set owners): add it to the private app`);
          break;
        }
        problems.push(`${path}: ${status === 404 ? `no HubSpot owner ${id}: fix the id (Settings → Users & Teams) or remove it` : `could not be checked in HubSpot (${hubspotReason(err)})`}`);
      }
    }
    checked.push(`HubSpot owners: ${owners.size}`);
  } finally {
    agent.destroy();
  }
}
