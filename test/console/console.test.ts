import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { erase } from '../../src/cli/commands/erase.ts';
import { createConsole } from '../../src/console/index.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/console/security.ts';
import { decide } from '../../src/policy/decide.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { runCommand } from '../helpers/command.ts';

let t: TestApp | undefined;
let bare: Server | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
  if (bare) await new Promise<void>((r) => bare!.close(() => r()));
  bare = undefined;
});

const HOSTILE_NAME = '<script>alert(1)</script>';
const HOSTILE_COMPANY = '"><img src=x onerror=alert(1)>';

/** A browser's visit: keeps the console's cookies and reads the form token from the page. */
function browser(base: string) {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      jar.set(k!, v!);
    }
  };
  return {
    async get(path: string) {
      const res = await fetch(base + path, { headers: { cookie: cookieHeader() }, redirect: 'manual' });
      keep(res);
      const text = await res.text();
      return { status: res.status, text, headers: res.headers, csrf: /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? null };
    },
    async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
      const res = await fetch(base + path, {
        method: 'POST', redirect: 'manual', body: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(), ...headers },
      });
      keep(res);
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    },
  };
}

async function heldLead(app: TestApp, body: Record<string, unknown> = {}) {
  const res = await app.deliver('generic', { email: `kim${Math.random().toString(36).slice(2, 8)}@gmail.com`, message: 'We need pricing for 40 seats and a demo next week, please.', ...body });
  await app.settle();
  const leadId = res.body.lead_id as string;
  const decisionId = app.app.db.prepare("SELECT id FROM decisions WHERE lead_id = ? AND status = 'pending_review'").pluck().get(leadId) as string;
  expect(decisionId).toBeTruthy();
  return { leadId, decisionId };
}

const decision = (app: TestApp, id: string) => app.app.db.prepare('SELECT status, decided_by FROM decisions WHERE id = ?').get(id) as { status: string; decided_by: string | null };

describe('the console on embedded defaults', () => {
  it('shows an erased lead as erased: its trail\'s figures, nothing of the person', async () => {
    t = await startTestApp();
    const { leadId } = await heldLead(t, { name: 'Philippa Zauberflöte', company: 'Zauberflöte Optics', message: 'We need pricing for 40 seats for our kaleidoscope lab.' });
    expect((await runCommand(erase, [leadId], t.env)).code).toBe(0);
    const b = browser(t.url);
    const page = await b.get(`/leads/${leadId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('status <span class="status s-erased">erased</span>');
    expect(page.text).toMatch(/<code>classified<\/code>/);
    expect(page.text).not.toMatch(/Philippa|Zauberfl|kaleidoscope|gmail/);
    const feed = await b.get('/');
    expect(feed.text).toContain(`<a href="/leads/${leadId}"><span class="muted">erased</span></a>`);
    expect(feed.text).not.toMatch(/Philippa|Zauberfl/);
  });

  it('lists leads newest first with a strict CSP, and renders submitted text as text', async () => {
    t = await startTestApp();
    await t.deliver('generic', { email: 'first@northwind.example', message: 'We need pricing for 40 seats.' });
    const { leadId } = await heldLead(t, { name: HOSTILE_NAME, company: HOSTILE_COMPANY });
    const b = browser(t.url);
    const feed = await b.get('/');
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    // A browser sends "Origin: null" on our own form posts under no-referrer, and the CSRF check would refuse them.
    expect(feed.headers.get('referrer-policy')).toBe('same-origin');
    expect(feed.text.indexOf(leadId)).toBeLessThan(feed.text.indexOf('first@northwind.example'));
    for (const page of [feed, await b.get(`/leads/${leadId}`), await b.get('/reviews')]) {
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script at all
      expect(page.text).not.toMatch(/\sstyle=/);
    }
    const lead = await b.get(`/leads/${leadId}`);
    expect(lead.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(lead.text).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('filters by status and searches by email or company, with every value bound', async () => {
    t = await startTestApp();
    await t.deliver('generic', { email: 'ana@bigcorp.example', company: 'BigCorp', message: 'We need pricing for 60 seats with SSO and a demo.' });
    await heldLead(t, { company: "O'Hare % Co" });
    const b = browser(t.url);
    expect((await b.get('/?q=bigcorp')).text).toContain('ana@bigcorp.example');
    const pct = await b.get(`/?q=${encodeURIComponent("O'Hare %")}`);
    expect(pct.text).toContain('O&#39;Hare % Co');
    expect(pct.text).not.toContain('ana@bigcorp.example');
    const injected = await b.get(`/?status=${encodeURIComponent("x' OR 1=1 --")}`);
    expect(injected.status).toBe(200);
    expect(injected.text).toContain('No leads match');
  });

  it('Approve acts as the local operator through the review service: once, audited, counted; a second click is told it already counted', async () => {
    t = await startTestApp();
    const { leadId, decisionId } = await heldLead(t);
    const b = browser(t.url);
    const page = await b.get(`/leads/${leadId}`);
    expect(page.text).toContain(`action="/reviews/${decisionId}/approve"`);
    const first = await b.post(`/reviews/${decisionId}/approve`, { csrf: page.csrf! });
    expect(first).toMatchObject({ status: 303, location: `/leads/${leadId}` });
    expect(decision(t, decisionId)).toEqual({ status: 'approved', decided_by: 'U0OPERATOR' });
    expect(t.app.db.prepare("SELECT actor FROM audit_log WHERE event = 'review_approve'").pluck().all()).toEqual(['U0OPERATOR']);
    expect((await t.app.metrics.humanDecisions.get()).values).toEqual([{ value: 1, labels: { decision: 'approve' } }]);

    const again = await b.post(`/reviews/${decisionId}/approve`, { csrf: page.csrf! });
    expect(again.status).toBe(303);
    const told = await b.get(again.location!);
    expect(told.text).toContain('You already approved this lead');
    expect(t.app.db.prepare("SELECT COUNT(*) FROM audit_log WHERE event = 'review_approve'").pluck().get()).toBe(1);
    await t.settle();
    // The card now says what happened, as Slack would show it.
    const settled = await b.get(`/leads/${leadId}`);
    expect(settled.text).toContain('Approved by');
    // Each decision links to the exact policy text behind it.
    expect(settled.text).toContain(`href="/versions/${t.loaded.hash}"`);
    const policy = await b.get(`/versions/${t.loaded.hash}`);
    expect(policy.status).toBe(200);
    expect(policy.text).toContain('confidence_floor');
  });

  it('Reject needs a reason, and Edit & approve accepts only values from its own lists', async () => {
    t = await startTestApp();
    const b = browser(t.url);
    const { decisionId } = await heldLead(t);
    const form = await b.get(`/reviews/${decisionId}/reject`);
    const empty = await b.post(`/reviews/${decisionId}/reject`, { csrf: form.csrf!, reason: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Please give a reason.');
    expect(decision(t, decisionId).status).toBe('pending_review');
    await b.post(`/reviews/${decisionId}/reject`, { csrf: form.csrf!, reason: 'Student project' });
    expect(decision(t, decisionId)).toEqual({ status: 'rejected', decided_by: 'U0OPERATOR' });

    const other = await heldLead(t);
    const edit = await b.get(`/reviews/${other.decisionId}/edit`);
    const forged = await b.post(`/reviews/${other.decisionId}/edit`, { csrf: edit.csrf!, intent: 'buying', route: 'everyone', priority: 'high', reason: 'x' });
    expect(forged.status).toBe(400);
    expect(decision(t, other.decisionId).status).toBe('pending_review');
    await b.post(`/reviews/${other.decisionId}/edit`, { csrf: edit.csrf!, intent: 'buying', route: 'sales', priority: 'high', owner: '', reason: 'A real buyer' });
    expect(decision(t, other.decisionId)).toEqual({ status: 'approved', decided_by: 'U0OPERATOR' });
  });

  it('refuses a POST without this browser\'s form token or from another origin, and changes nothing', async () => {
    t = await startTestApp();
    const { leadId, decisionId } = await heldLead(t);
    const b = browser(t.url);
    const page = await b.get(`/leads/${leadId}`);
    expect((await b.post(`/reviews/${decisionId}/approve`, {})).status).toBe(403);
    expect((await b.post(`/reviews/${decisionId}/approve`, { csrf: 'forged' })).status).toBe(403);
    expect((await browser(t.url).post(`/reviews/${decisionId}/approve`, { csrf: page.csrf! })).status).toBe(403); // another browser, no cookie
    expect((await b.post(`/reviews/${decisionId}/approve`, { csrf: page.csrf! }, { origin: 'https://evil.example' })).status).toBe(403);
    expect(decision(t, decisionId).status).toBe('pending_review');
  });

  it('an operator who is not an approver is refused as Slack refuses, and the attempt is audited', async () => {
    t = await startTestApp({ env: { CONSOLE_OPERATOR: 'U0NOTANAPP' } });
    const { leadId, decisionId } = await heldLead(t);
    const b = browser(t.url);
    const page = await b.get(`/leads/${leadId}`);
    const res = await b.post(`/reviews/${decisionId}/approve`, { csrf: page.csrf! });
    expect((await b.get(res.location!)).text).toContain('Only approvers named in the policy');
    expect(decision(t, decisionId).status).toBe('pending_review');
    expect(t.app.db.prepare("SELECT actor FROM audit_log WHERE event = 'review_refused'").pluck().all()).toEqual(['U0NOTANAPP']);
  });
});

describe('the console with Slack connected', () => {
  it('is read-only and says where to act', async () => {
    t = await startTestApp({ slack: true });
    const { leadId, decisionId } = await heldLead(t);
    const b = browser(t.url);
    const page = await b.get(`/leads/${leadId}`);
    expect(page.text).toContain('This console is read-only');
    expect(page.text).not.toContain(`action="/reviews/${decisionId}/approve"`);
    expect((await b.post(`/reviews/${decisionId}/approve`, { csrf: page.csrf! })).status).toBe(403);
    expect(decision(t, decisionId).status).toBe('pending_review');
  });
});

describe('the console reachable from other machines', () => {
  async function serve(token: string | undefined) {
    t = await startTestApp();
    const c = createConsole({
      config: { host: '0.0.0.0', console: { token, operator: 'U0OPERATOR' } },
      db: t.app.db, audit: t.app.audit, leads: t.app.leads, loaded: t.loaded, decide, logger: silentLogger(), metrics: createMetrics(), clock: Date.now, slackMode: 'recorded',
    });
    // Mounted on loopback for the test; the console believes HOST=0.0.0.0.
    bare = createServer((req, res) => void c.handle(req, res, new URL(req.url ?? '/', 'http://x')));
    await new Promise<void>((r) => bare!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  }

  it('refuses to serve without CONSOLE_TOKEN, and says why', async () => {
    const res = await browser(await serve(undefined)).get('/');
    expect(res.status).toBe(403);
    expect(res.text).toContain('CONSOLE_TOKEN is not set');
  });

  it('asks for the token, signs the browser in with a cookie, and never shows the token', async () => {
    const token = 'console-token-0123456789';
    const b = browser(await serve(token));
    const first = await b.get('/reviews');
    expect(first).toMatchObject({ status: 303 });
    expect(first.headers.get('location')).toBe('/login?next=%2Freviews');
    expect((await b.post('/login', { token: 'wrong-token-wrong-token' })).status).toBe(401);
    expect((await b.get('/')).status).toBe(303);
    const signedIn = await b.post('/login', { token, next: '/reviews' });
    expect(signedIn).toMatchObject({ status: 303, location: '/reviews' });
    const page = await b.get('/reviews');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(token);
    // An open redirect is refused: next must be one of our paths.
    expect((await b.post('/login', { token, next: '//evil.example/' })).location).toBe('/');
  });
});
