import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { leadCard } from '../../blocks/leadCard.ts';
import type { SlackMessage } from '../../blocks/model.ts';
import { reviewCard } from '../../blocks/reviewCard.ts';
import type { Config } from '../config/env.ts';
import { readBody } from '../http/body.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { DecideFn } from '../pipeline/stages.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import { acceptAs, settleReview, takeLead } from '../review/act.ts';
import { pendingReviews } from '../review/queue.ts';
import { createApprovers } from '../slack/approvers.ts';
import { leadWho, loadCardState, type CardKind } from '../slack/presenters/cardState.ts';
import { replies } from '../slack/replies.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { getDecision } from '../store/decisions.ts';
import type { LeadStore } from '../store/leads.ts';
import { loadAssets } from './assets.ts';
import { computeFigures } from './figures.ts';
import { html, type Html } from './html.ts';
import { page, type PageContext } from './layout.ts';
import { feedPage } from './pages/feed.ts';
import { figuresPage } from './pages/figures.ts';
import { erasedLeadPage, leadPage } from './pages/lead.ts';
import { loginPage } from './pages/login.ts';
import { reviewFormPage, reviewsPage } from './pages/reviews.ts';
import { auditTrail, feedChoices, leadFeed } from './queries.ts';
import { leadVersions, versionByHash } from '../policy/versions.ts';
import { createConsoleGuard, SECURITY_HEADERS } from './security.ts';

export interface ConsoleDeps {
  config: Pick<Config, 'host' | 'console'>;
  db: Db;
  audit: AuditLog;
  leads: LeadStore;
  loaded: LoadedPolicy;
  decide: DecideFn;
  logger: Logger;
  metrics: Pick<Metrics, 'humanDecisions' | 'claims'>;
  clock: () => number;
  /** 'recorded' when Slack is not configured: only then do the console's buttons act. */
  slackMode: 'http' | 'socket' | 'recorded';
}

const ID = '[A-Za-z0-9_-]{1,64}';
const LEAD = new RegExp(`^/leads/(${ID})$`);
const LEAD_ACTION = new RegExp(`^/leads/(${ID})/(claim|accept)$`);
const REVIEW_ACTION = new RegExp(`^/reviews/(${ID})/(approve|reject|edit)$`);
const ASSET = /^\/console\/assets\/([A-Za-z0-9._-]{1,64})$/;
const VERSION = /^\/versions\/([0-9a-f]{16})$/;

/** Console paths; anything else is left to the rest of the server. */
export const isConsolePath = (path: string) => path === '/' || path === '/login' || path === '/reviews' || path === '/figures' || /^\/(leads|reviews|console|versions)\//.test(path);

/**
 * The console: server-rendered pages over the store, and on embedded defaults the card buttons, acting as
 * the local operator through the same review and claim services, authorization and audit as Slack clicks.
 */
export function createConsole(deps: ConsoleDeps) {
  const { db, leads, loaded, clock } = deps;
  const guard = createConsoleGuard(deps.config);
  const assets = loadAssets();
  const operator = deps.config.console.operator;
  const readOnly = deps.slackMode === 'recorded'
    ? null
    : `Slack is connected (${deps.slackMode} mode): approve, reject and take leads on their cards in Slack. This console is read-only.`;
  // The policy's approvers only: the console has no Slack client to read a user group with.
  const act = { ...deps, approvers: createApprovers(() => loaded.policy, null, deps.logger) };
  const nameOf = (id: string) => loaded.policy.people[id]?.name;

  function send(res: ServerResponse, status: number, body: string | Html, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : body.text;
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8', ...SECURITY_HEADERS, ...headers });
    res.end(text);
  }

  function redirect(res: ServerResponse, to: string): void {
    res.writeHead(303, { location: to, ...SECURITY_HEADERS });
    res.end();
  }

  function cardsOf(leadId: string): Array<{ title: string; message: SlackMessage }> {
    const posted = new Set(db.prepare('SELECT card FROM slack_cards WHERE lead_id = ?').pluck().all(leadId) as CardKind[]);
    const latest = loadCardState(db, leads, leadId, 'lead');
    if (!latest) return [];
    // Before the outbox has posted anything, show the card the decision will post.
    if (!posted.size) posted.add(latest.decision.status === 'pending_review' ? 'review' : 'lead');
    const out: Array<{ title: string; message: SlackMessage }> = [];
    if (posted.has('review')) out.push({ title: 'Review card', message: reviewCard(loadCardState(db, leads, leadId, 'review')!) });
    if (posted.has('lead')) out.push({ title: 'Lead card', message: leadCard(latest) });
    return out;
  }

  const notices = new Map<string, string>();
  /** Post/redirect/get: the reply is kept for the next page load under a random key, never taken from the URL. */
  function withNotice(to: string, notice: string | null): string {
    if (!notice) return to;
    const key = randomUUID();
    notices.set(key, notice);
    if (notices.size > 200) notices.delete(notices.keys().next().value!);
    return `${to}?notice=${key}`;
  }

  async function getPage(res: ServerResponse, url: URL, ctx: PageContext): Promise<void> {
    const path = url.pathname;
    const now = clock();
    const q = (k: string) => url.searchParams.get(k) ?? undefined;
    if (path === '/') {
      const filter = { status: q('status'), queue: q('queue'), owner: q('owner'), from: q('from'), to: q('to'), q: q('q'), before: q('before') };
      return send(res, 200, page(ctx, 'Leads', feedPage(ctx, filter, feedChoices(db), leadFeed(db, loaded.policy, filter), now), ['feed.js']));
    }
    if (path === '/reviews') return send(res, 200, page(ctx, 'Review queue', reviewsPage(ctx, pendingReviews(db, 500), now)));
    if (path === '/figures') return send(res, 200, page(ctx, 'Figures', figuresPage(computeFigures(db, loaded.policy, now)), ['uPlot.iife.min.js', 'figures.js']));
    const lead = LEAD.exec(path);
    if (lead) {
      const stored = leads.get(lead[1]!);
      const erasedAt = stored ? null : leads.erasedAt(lead[1]!);
      if (erasedAt) return send(res, 200, page(ctx, 'Erased lead', erasedLeadPage(lead[1]!, erasedAt, auditTrail(db, lead[1]!), now)));
      if (!stored) return send(res, 404, page(ctx, 'No such lead', html`<p>No lead with id <code>${lead[1]}</code>. <a href="/">All leads</a></p>`));
      const latest = loadCardState(db, leads, stored.id, 'lead');
      const notice = notices.get(url.searchParams.get('notice') ?? '') ?? null;
      return send(res, 200, page(ctx, leadWho(stored.lead, stored.id), leadPage(ctx, {
        lead: { ...stored.lead, id: stored.id }, status: stored.status, cards: cardsOf(stored.id),
        decision: latest ? getDecision(db, latest.decision.id) : null, trail: auditTrail(db, stored.id), versions: leadVersions(db, stored.id), notice,
      }, now)));
    }
    const version = VERSION.exec(path);
    if (version) {
      const row = versionByHash(db, version[1]!);
      if (!row) return send(res, 404, page(ctx, 'No such version', html`<p>No stored policy or prompt <code>${version[1]}</code>.</p>`));
      return send(res, 200, page(ctx, `${row.kind === 'policy' ? 'Policy' : 'Prompt'} ${version[1]}`, html`<p class="muted">version ${row.version} · from <code>${row.source}</code> · first decided ${row.first_seen_at}</p><pre>${row.text}</pre>`));
    }
    const form = REVIEW_ACTION.exec(path);
    if (form && form[2] !== 'approve') return reviewForm(res, ctx, form[1]!, form[2] as 'reject' | 'edit', null);
    send(res, 404, page(ctx, 'Not found', html`<p>Nothing here. <a href="/">All leads</a></p>`));
  }

  function reviewForm(res: ServerResponse, ctx: PageContext, decisionId: string, kind: 'reject' | 'edit', error: string | null, status = 200): void {
    const stored = getDecision(db, decisionId);
    if (!stored) return send(res, 404, page(ctx, 'No such review', html`<p>No review <code>${decisionId}</code>.</p>`));
    const lead = leads.get(stored.row.lead_id);
    const who = leadWho(lead?.lead, stored.row.lead_id);
    const people = Object.entries(loaded.policy.people).map(([id, p]) => ({ id, name: p.name }));
    const target = { decisionId, leadId: stored.row.lead_id, who, intent: stored.classification?.classification?.intent ?? null, route: stored.decision.route, priority: stored.decision.priority };
    send(res, status, page(ctx, kind === 'reject' ? `Reject ${who}` : `Edit & approve ${who}`, reviewFormPage(ctx, kind, target, people, error)));
  }

  async function post(req: IncomingMessage, res: ServerResponse, url: URL, ctx: PageContext): Promise<void> {
    const { body, tooLarge } = await readBody(req, 64 * 1024);
    if (tooLarge) return send(res, 413, 'form too large');
    const form = new URLSearchParams(body.toString('utf8'));
    if (!guard.csrfOk(req, form.get('csrf'))) return send(res, 403, 'This form is stale or did not come from the console: reload the page and try again.');
    if (readOnly) return send(res, 403, readOnly);
    const path = url.pathname;
    const review = REVIEW_ACTION.exec(path);
    if (review) {
      const [, decisionId, kind] = review as unknown as [string, string, 'approve' | 'reject' | 'edit'];
      const stored = getDecision(db, decisionId);
      if (!stored) return send(res, 404, `no review ${decisionId}`);
      const field = (k: string) => form.get(k)?.trim() || undefined;
      const out = await settleReview(act, {
        decisionId, kind, userId: operator, reason: form.get('reason'),
        edit: kind === 'edit' ? { intent: field('intent'), route: field('route'), priority: field('priority'), owner: field('owner') ?? null } : undefined,
      });
      if ((out.outcome === 'reason_required' || out.outcome === 'invalid_edit') && kind !== 'approve') return reviewForm(res, ctx, decisionId, kind, replies.settled(out, operator), 400);
      return redirect(res, withNotice(`/leads/${stored.row.lead_id}`, replies.settled(out, operator)));
    }
    const leadAction = LEAD_ACTION.exec(path);
    if (leadAction) {
      const [, leadId, kind] = leadAction as unknown as [string, string, 'claim' | 'accept'];
      if (!leads.get(leadId)) return send(res, 404, `no lead ${leadId}`);
      let notice: string | null;
      if (kind === 'claim') {
        const out = takeLead(act, leadId, operator);
        notice = out.outcome === 'claimed' ? replies.claimed() : replies.alreadyClaimed(out.by, out.at, out.by === operator);
      } else {
        const out = acceptAs(act, leadId, operator, 'accept button');
        notice = out.outcome === 'not_assignee' ? replies.notAssignee(out.owner) : null;
      }
      return redirect(res, withNotice(`/leads/${leadId}`, notice));
    }
    send(res, 404, 'not found');
  }

  return {
    /** Why the console is off (reachable from elsewhere without CONSOLE_TOKEN), or null. */
    refusal: guard.refusal,

    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
      const asset = ASSET.exec(url.pathname);
      if (asset && req.method === 'GET') {
        const file = assets.get(asset[1]!);
        if (!file) return send(res, 404, 'not found');
        res.writeHead(200, { 'content-type': file.type, ...SECURITY_HEADERS, 'cache-control': 'public, max-age=3600' });
        return void res.end(file.body);
      }
      if (guard.refusal) return send(res, 403, guard.refusal);
      if (url.pathname === '/login') return login(req, res, url);
      if (!guard.signedIn(req)) {
        if (req.method !== 'GET') return send(res, 401, 'Sign in to the console first (CONSOLE_TOKEN).');
        return redirect(res, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
      }
      const csrf = guard.csrf(req);
      const ctx: PageContext = { path: url.pathname, readOnly, operator, csrf: csrf.token, nameOf };
      if (csrf.setCookie) res.setHeader('set-cookie', csrf.setCookie);
      if (req.method === 'GET') return getPage(res, url, ctx);
      if (req.method === 'POST') return post(req, res, url, ctx);
      send(res, 405, 'method not allowed');
    },
  };

  async function login(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const next = safeNext(url.searchParams.get('next'));
    if (req.method === 'POST') {
      if (!guard.sameOrigin(req)) return send(res, 403, 'This sign-in did not come from the console\'s own page.');
      const { body } = await readBody(req, 4096);
      const form = new URLSearchParams(body.toString('utf8'));
      const cookie = guard.signIn(form.get('token') ?? '');
      if (!cookie) return send(res, 401, loginPage(next, 'That token is not the console token.'));
      res.setHeader('set-cookie', cookie);
      return redirect(res, safeNext(form.get('next')));
    }
    send(res, 200, loginPage(next, null));
  }
}

/** Only our own paths: an open redirect would let a link send a signed-in operator anywhere. */
function safeNext(next: string | null): string {
  return next && /^\/(?!\/)[A-Za-z0-9/_?=&%.-]*$/.test(next) ? next : '/';
}

export type Console = ReturnType<typeof createConsole>;
