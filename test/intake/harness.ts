import { readFileSync } from 'node:fs';
import { loadConfig, type Config } from '../../src/config/env.ts';
import { createIntake, type IntakeRequest, type IntakeResponse } from '../../src/intake/accept.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { signWebhook, type SignOptions, type WebhookProvider } from '../helpers/sign.ts';

export const SECRETS: Record<WebhookProvider, string> = {
  typeform: 'tf_secret_0123456789',
  tally: 'tally_secret_abcdef',
  webflow: 'wf_client_secret_xyz',
  formspree: 'fs_signing_secret_42',
  hubspot: 'hs-client-secret-1111-2222',
  generic: 'generic_webhook_secret_99',
};

export const PUBLIC_BASE_URL = 'https://leads.example.com';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    TYPEFORM_SECRET: SECRETS.typeform,
    TALLY_SIGNING_SECRET: SECRETS.tally,
    WEBFLOW_SECRET: SECRETS.webflow,
    FORMSPREE_SECRET: SECRETS.formspree,
    HUBSPOT_CLIENT_SECRET: SECRETS.hubspot,
    WEBHOOK_SECRET: SECRETS.generic,
    PUBLIC_BASE_URL,
    ...env,
  });
}

export function sample(provider: WebhookProvider): string {
  return readFileSync(new URL(`../../data/samples/${provider}.json`, import.meta.url), 'utf8');
}

export interface Harness {
  db: Db;
  accept(req: IntakeRequest): IntakeResponse;
  /** Signs `body` as the vendor would and delivers it. */
  deliver(provider: WebhookProvider, body: string, opts?: SignOptions & { headers?: Record<string, string>; remoteIp?: string }): IntakeResponse;
  count(table: 'leads' | 'jobs' | 'inbound_events'): number;
  auditRows(event: string): Array<{ lead_id: string | null; reason: string | null; output_json: string | null; input_hash: string | null }>;
}

export function harness(opts: { env?: Record<string, string>; now?: () => number; db?: Db } = {}): Harness {
  const db = opts.db ?? openDb(':memory:');
  const audit = new AuditLog(db);
  const intake = createIntake({ db, audit, config: testConfig(opts.env), logger: silentLogger(), now: opts.now });
  return {
    db,
    accept: (req) => intake.accept(req),
    deliver(provider, body, o = {}) {
      const path = `/webhooks/${provider}`;
      const headers = { ...signWebhook(provider, SECRETS[provider], body, { url: PUBLIC_BASE_URL + path, ...o }), ...(o.headers ?? {}) };
      return intake.accept({ provider, method: 'POST', path, headers, rawBody: Buffer.from(body, 'utf8'), remoteIp: o.remoteIp ?? '198.51.100.7' });
    },
    count: (table) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number,
    auditRows: (event) => db.prepare('SELECT lead_id, reason, output_json, input_hash FROM audit_log WHERE stage = ? AND event = ? ORDER BY id').all('intake', event) as never,
  };
}
