import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Db } from '../store/db.ts';
import type { IntakeRequest, IntakeResponse } from '../intake/accept.ts';
import { readBody } from './body.ts';
import { isConsolePath } from '../console/index.ts';
import { createFloodGuard, DEFAULT_FLOOD, type FloodOptions } from '../intake/flood.ts';

export interface HttpDeps {
  db: Db;
  logger: Logger;
  metrics: Metrics;
  intake: { accept(req: IntakeRequest): IntakeResponse };
  /** Bolt's HTTPReceiver listener, or null when Slack runs in Socket Mode or is not configured. */
  slackListener: RequestListener | null;
  /** Says why `/slack/events` is refused when there is no listener (not configured, or Socket Mode). */
  slackUnavailable?: string;
  /** Called after a lead is enqueued so the worker picks it up without waiting for its next poll. */
  onEnqueued: () => void;
  /** What /healthz reports beside the database answering: the background loops, Slack, the kill switch. */
  health?: () => { ok: boolean } & Record<string, unknown>;
  /** False until start-up (migrations, Slack) is done and after stop begins: /readyz answers 503 meanwhile. */
  ready?: () => boolean;
  /** Per-remote-IP flood guard on the webhooks; default 10,000 requests / 10 s. */
  flood?: FloodOptions;
  /** /metrics' text when it is more than this process's registry (the pipeline process's too); default the registry. */
  metricsText?: () => Promise<string>;
  /** The console's pages (GET /, /leads/…, /reviews, /figures, /login, /console/assets/…). */
  console?: { handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; version=0.0.4' : 'application/json', ...headers });
  res.end(text);
}

const WEBHOOK_PATH = /^\/webhooks\/([a-z0-9_-]{1,32})\/?$/;

/** One port for Slack, the form vendors' webhooks, health and metrics. */
export function createHttpServer(deps: HttpDeps): Server {
  const { logger, metrics } = deps;
  const floodGuard = createFloodGuard(deps.flood ?? DEFAULT_FLOOD);

  async function webhook(req: IncomingMessage, res: ServerResponse, provider: string, path: string): Promise<void> {
    const end = metrics.ackLatency.startTimer({ provider });
    const flood = await floodGuard(req.socket.remoteAddress ?? 'unknown');
    if (!flood.allowed) {
      req.resume();
      send(res, 429, { error: 'rate_limited', message: 'too many requests from this sender', retry_after_seconds: flood.retryAfterSec }, { 'Retry-After': String(flood.retryAfterSec) });
      end();
      metrics.webhooks.inc({ provider, status: '429' });
      return;
    }
    const { body, tooLarge } = await readBody(req);
    const result = deps.intake.accept({
      provider, method: req.method ?? 'POST', path, headers: req.headers, rawBody: body, remoteIp: req.socket.remoteAddress ?? 'unknown', tooLarge,
    });
    send(res, result.status, result.body, result.headers);
    end();
    metrics.webhooks.inc({ provider, status: String(result.status) });
    if (result.status === 202 && result.body.status === 'enqueued') deps.onEnqueued();
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/healthz' && req.method === 'GET') {
      deps.db.prepare('SELECT 1').get();
      const health = deps.health?.() ?? { ok: true };
      return send(res, health.ok ? 200 : 503, health);
    }
    if (path === '/readyz' && req.method === 'GET') {
      const ready = deps.ready?.() ?? true;
      return send(res, ready ? 200 : 503, { ready });
    }
    if (path === '/metrics' && req.method === 'GET') return send(res, 200, await (deps.metricsText?.() ?? metrics.registry.metrics()));
    if (path === '/slack/events') {
      if (req.method !== 'POST') return send(res, 405, { error: 'method_not_allowed' });
      if (!deps.slackListener) return send(res, 503, { error: 'slack_not_configured', message: deps.slackUnavailable ?? 'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to receive Slack requests over HTTP' });
      return deps.slackListener(req, res);
    }
    const match = WEBHOOK_PATH.exec(path);
    if (match) {
      if (req.method !== 'POST') return send(res, 405, { error: 'method_not_allowed' });
      return webhook(req, res, match[1]!, req.url ?? path);
    }
    if (deps.console && isConsolePath(path)) return deps.console.handle(req, res, url);
    send(res, 404, { error: 'not_found' });
  }

  return createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      logger.error({ err, path: req.url?.slice(0, 200) }, 'request failed');
      if (!res.headersSent) send(res, 500, { error: 'internal' });
      else res.destroy();
    });
  });
}
