import { randomUUID } from 'node:crypto';
import type { Config } from '../config/env.ts';
import { PROVIDERS, type Provider } from '../core/lead.ts';
import type { Logger } from '../observability/logger.ts';
import { networkOf } from '../privacy/network.ts';
import { hashInput, type AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { isJsonContentType } from './content-type.ts';
import { acceptHubspotEvents } from './hubspot-events/accept-events.ts';
import { CONTENT_DEDUPE_WINDOW_MS, contentHash, idempotencyKey } from './idempotency.ts';
import { NORMALIZERS } from './normalize/index.ts';
import { createIntakeStore } from './store.ts';
import { VERIFIERS } from './verify/index.ts';

export const MAX_BODY_BYTES = 256 * 1024;

export interface IntakeRequest {
  provider: string;
  method: string;
  /** Path plus query string as received, e.g. `/webhooks/hubspot`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  remoteIp: string;
  /** Set by the server when the body exceeded its read cap (it may pass a truncated buffer). */
  tooLarge?: boolean;
}

export interface IntakeResponse {
  status: number;
  body: Record<string, unknown>;
  lead_id?: string;
  /** Response headers to send (Retry-After on 429). */
  headers?: Record<string, string>;
}

export interface IntakeDeps {
  db: Db;
  audit: AuditLog;
  config: Config;
  logger: Logger;
  now?: () => number;
}

const isProvider = (p: string): p is Provider => (PROVIDERS as readonly string[]).includes(p);

/**
 * The webhook entry point (after the HTTP edge's flood guard, 429). Order: unknown provider 404 → oversize 413 → no secret 503 →
 * not JSON 415 → signature 401 → body 400 → idempotency (202 duplicate) → one transaction: event, lead, audit, job → 202.
 */
export interface Intake {
  accept(req: IntakeRequest): IntakeResponse;
  acceptLocal(provider: Provider, body: unknown, opts?: { idempotencyKey?: string }): IntakeResponse;
}

export function createIntake(deps: IntakeDeps): Intake {
  const now = deps.now ?? Date.now;
  const store = createIntakeStore(deps.db, deps.audit);
  const log = deps.logger.child({ component: 'intake' });

  // Rejections are audited without the body: an unverified body is attacker-controlled and must not be stored.
  const reject = (provider: Provider, req: IntakeRequest, status: number, error: string, message: string, field?: string): IntakeResponse => {
    const reason = field ? `${error}: ${field}` : error;
    deps.audit.record({
      lead_id: null,
      correlation_id: randomUUID(),
      stage: 'intake',
      event: 'rejected',
      decision: String(status),
      reason,
      input_hash: req.tooLarge ? null : hashInput(req.rawBody.toString('utf8')),
      output: { provider, remote_network: networkOf(req.remoteIp) },
    });
    log.warn({ provider, status, reason, remote_ip: req.remoteIp }, 'webhook rejected');
    return { status, body: { error, message, ...(field !== undefined ? { field } : {}) } };
  };

  return {
    accept(req) {
      const started = performance.now();
      if (!isProvider(req.provider)) return { status: 404, body: { error: 'not_found', message: 'unknown webhook provider' } };
      const provider = req.provider;

      if (req.tooLarge || req.rawBody.length > MAX_BODY_BYTES) {
        return reject(provider, { ...req, tooLarge: true }, 413, 'payload_too_large', `body exceeds ${MAX_BODY_BYTES} bytes`);
      }
      const secret = deps.config.webhookSecrets[provider];
      if (!secret) {
        log.warn({ provider }, 'webhook refused: provider secret not configured');
        return { status: 503, body: { error: 'provider_not_configured', message: `${provider} webhooks are not configured (its signing secret is unset)` } };
      }

      if (!isJsonContentType(req.headers)) return reject(provider, req, 415, 'unsupported_media_type', 'send Content-Type: application/json');

      const nowMs = now();
      const verdict = VERIFIERS[provider]({ method: req.method, path: req.path, headers: req.headers, rawBody: req.rawBody, secret, nowMs, publicBaseUrl: deps.config.publicBaseUrl });
      if (!verdict.ok) return reject(provider, req, 401, verdict.code, verdict.reason);

      return admit(provider, req, nowMs, started, 'webhook');
    },

    /**
     * Trusted local replay (`npx lead-triage ingest`): the same normalization, idempotency and transaction as a
     * webhook, without signature or flood checks. Never wire this to a network listener.
     */
    acceptLocal(provider: Provider, body: unknown, opts: { idempotencyKey?: string } = {}): IntakeResponse {
      if (!isProvider(provider)) return { status: 404, body: { error: 'not_found', message: 'unknown provider' } };
      const rawBody = Buffer.from(JSON.stringify(body), 'utf8');
      const headers = opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {};
      const req: IntakeRequest = { provider, method: 'LOCAL', path: '(local)', headers, rawBody, remoteIp: 'local' };
      if (rawBody.length > MAX_BODY_BYTES) return reject(provider, { ...req, tooLarge: true }, 413, 'payload_too_large', `body exceeds ${MAX_BODY_BYTES} bytes`);
      return admit(provider, req, now(), performance.now(), 'local');
    },
  };

  function admit(provider: Provider, req: IntakeRequest, nowMs: number, started: number, via: 'webhook' | 'local'): IntakeResponse {
    const rawText = req.rawBody.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(rawText);
    } catch {
      return reject(provider, req, 400, 'payload_invalid', 'body is not valid JSON', '(root)');
    }
    // An array on /webhooks/hubspot is a webhook-subscription delivery; an object is the workflow action's contact.
    if (provider === 'hubspot' && Array.isArray(json)) {
      return acceptHubspotEvents(json, {
        store, log, accessTokenSet: Boolean(deps.config.hubspot.accessToken), remoteIp: req.remoteIp, nowMs, started, via,
        reject: (status, error, message, field) => reject(provider, req, status, error, message, field),
      });
    }
    const normalized = NORMALIZERS[provider](json, nowMs);
    if (!normalized.ok) return reject(provider, req, 400, 'payload_invalid', normalized.message, normalized.field);

    const key = idempotencyKey(provider, normalized.eventId, req.headers);
    const outcome = store.save({
      provider,
      key,
      contentHash: contentHash(normalized.lead),
      contentSinceIso: new Date(nowMs - CONTENT_DEDUPE_WINDOW_MS).toISOString(),
      lead: normalized.lead,
      rawBody: rawText,
      remoteIp: req.remoteIp,
      nowMs,
      inputHash: hashInput(rawText),
      output: { provider, via, idempotency: key.kind, event_id: normalized.eventId, latency_ms: Math.round((performance.now() - started) * 100) / 100 },
    });
    if (outcome.status === 'duplicate') log.info({ provider, lead_id: outcome.leadId, idempotency: key.kind }, 'duplicate webhook delivery');
    else log.info({ provider, lead_id: outcome.leadId, correlation_id: outcome.correlationId }, 'lead received');
    return { status: 202, body: { lead_id: outcome.leadId, status: outcome.status }, lead_id: outcome.leadId };
  }
}
