/**
 * The console in a real browser: playwright-core driving Debian's chromium against the whole running app.
 * Few and fast on purpose; the renderer's unit tests and test/console carry the detail. Screenshots of the feed,
 * a lead and the figures go to test-artifacts/console/ (and, with UPDATE_SCREENSHOTS=1, to docs/ for the README).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsole } from '../../src/console/index.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { decide } from '../../src/policy/decide.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/console/', import.meta.url));
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';

const XSS_NAME = '<script>window.__xss=1</script>';
const XSS_COMPANY = '"><img src=x onerror="window.__xss=1">';
const PITCH = 'We need pricing for 40 seats and a demo next week, please.';

/** One ingest for the whole file: a buyer and a support request routed, free-mail buyers held, two hostile leads held. */
const LEADS = [
  { email: 'priya.raman@northwind-logistics.example', name: 'Priya Raman', company: 'Northwind Logistics', website: 'https://northwind-logistics.example', message: 'Need pricing for 60 seats with SSO and a SOC 2 report. Decision by end of month.' },
  { email: 'help@acme-widgets.example', name: 'Jo Help', company: 'Acme Widgets', message: 'Our login stopped working after the update, how do I reset my password?' },
  { email: 'sam.k@gmail.com', name: 'Sam K', message: PITCH },
  { email: 'lee.w@yahoo.com', name: 'Lee W', company: 'Wong Studio', message: 'Could we get a quote for 25 seats and a demo?' },
  { email: 'x1@gmail.com', name: XSS_NAME, message: PITCH },
  { email: 'robin@outlook.com', name: 'Robin', company: XSS_COMPANY, message: PITCH },
];

let t: TestApp;
let browser: Browser;
let bare: Server | undefined;

/** Console errors, uncaught page errors and CSP violations of one page; a CSP violation is a console error. */
function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(5_000); // a wait that fails says what it waited for, well inside the test's 30 s
  // Injected by the browser itself (not subject to the page's CSP): reports every violation as a console error.
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`);
  return context;
}

async function shoot(page: Page, name: 'feed' | 'lead' | 'figures'): Promise<void> {
  const png = await page.screenshot({ fullPage: true, animations: 'disabled' });
  writeFileSync(`${ARTIFACTS}${name}.png`, png);
  if (UPDATE_SCREENSHOTS) writeFileSync(`${DOCS}console-${name}.png`, png);
}

/** Clicks a form's submit button and returns the POST's response; a refused form fails here with the console's own words. */
async function submit(page: Page, click: () => Promise<void>, expected = 303) {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), click()]);
  if (res.status() !== expected) expect.fail(`POST ${new URL(res.url()).pathname} answered ${res.status()}, not ${expected}: ${await res.text()}`);
  return res;
}

const xss = (page: Page) => page.evaluate(() => (globalThis as { __xss?: unknown }).__xss);
const LEAD_URL = /\/leads\/ld_[A-Za-z0-9]+(\?notice=[\w-]+)?$/;

describe('the console in a real browser', { timeout: 30_000 }, () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or point PLAYWRIGHT_CHROMIUM_PATH at one). CI installs it; these tests do not skip.`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    if (UPDATE_SCREENSHOTS) mkdirSync(DOCS, { recursive: true });
    [browser, t] = await Promise.all([
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
      // The app's clock at the wall clock's time: intake and the audit log stamp rows with the wall clock, the
      // console reads ages and the figures' 30-day window off the app's clock, and the two must agree.
      startTestApp({ now: Date.now() }),
    ]);
    for (const lead of LEADS) expect((await t.deliver('generic', lead)).status).toBe(202);
    await t.settle();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    if (bare) await new Promise<void>((r) => bare!.close(() => r()));
  });

  it('shows the feed after an ingest, with hostile submissions as text and no CSP violation', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto(`${t.url}/`);
    expect(await page.locator('table.feed tbody tr').count()).toBe(LEADS.length);
    await page.getByRole('link', { name: 'Priya Raman' }).waitFor();
    await page.getByText(XSS_NAME, { exact: true }).waitFor();
    await page.getByText(XSS_COMPANY, { exact: true }).waitFor();
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await xss(page)).toBeUndefined();
    await shoot(page, 'feed');

    // The hostile lead's own page: the card (Block Kit rendering) and the submitted fields.
    await page.getByRole('link', { name: XSS_NAME }).click();
    await page.waitForURL(LEAD_URL);
    await page.locator('.slack-card').first().waitFor();
    expect(await page.getByText(XSS_NAME).count()).toBeGreaterThan(0);
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await xss(page)).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('approves a held lead from its card, and rejects another with a reason; card and trail follow', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const errors = watch(page);
    const trail = () => page.locator('table.trail').innerText();

    await page.goto(`${t.url}/`);
    await page.getByRole('link', { name: 'Sam K' }).click();
    await page.waitForURL(LEAD_URL);
    const samUrl = page.url();
    await page.locator('.slack-card', { hasText: 'Held for review because' }).waitFor();
    expect(await trail()).not.toContain('review_approve');
    await shoot(page, 'lead');
    await submit(page, () => page.locator('.slack-card').getByRole('button', { name: 'Approve', exact: true }).click());
    await page.waitForURL(samUrl); // post, redirect, back on the lead
    await t.settle();
    await page.reload();
    await page.locator('.slack-card', { hasText: 'Approved by' }).first().waitFor();
    expect(await trail()).toContain('review_approve');

    await page.goto(`${t.url}/`);
    await page.getByRole('link', { name: 'Lee W' }).click();
    await page.waitForURL(LEAD_URL);
    const leeUrl = page.url();
    expect(await page.locator('main .status').first().innerText()).toBe('pending_review');
    await page.locator('.slack-card').getByRole('link', { name: 'Reject', exact: true }).click();
    await page.locator('textarea[name="reason"]').fill('A student project, not a buyer');
    await submit(page, () => page.getByRole('button', { name: 'Reject', exact: true }).click());
    await page.waitForURL(leeUrl);
    await t.settle();
    await page.reload();
    expect(await page.locator('main .status').first().innerText()).toBe('rejected');
    expect(await trail()).toContain('review_reject');
    expect(await trail()).toContain('A student project, not a buyer');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws the figures charts with uPlot', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto(`${t.url}/figures`);
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.fig-stat').first().innerText()).toContain(String(LEADS.length));
    await shoot(page, 'figures');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reachable from other machines, asks for the token: refuses a request without it and a wrong one, signs in with the right one', async () => {
    const token = 'browser-console-token-0123456789';
    const c = createConsole({
      config: { host: '0.0.0.0', console: { token, operator: 'U0OPERATOR' } },
      db: t.app.db, audit: t.app.audit, leads: t.app.leads, loaded: t.loaded, decide, logger: silentLogger(), metrics: createMetrics(), clock: t.clock.now, slackMode: 'recorded',
    });
    // Mounted on loopback for the test; the console believes HOST=0.0.0.0.
    bare = createServer((req, res) => void c.handle(req, res, new URL(req.url ?? '/', 'http://x')));
    await new Promise<void>((r) => bare!.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

    const context = await newContext();
    const page = await context.newPage();
    const errors = watch(page);
    const unsigned = await context.request.get(`${base}/figures`, { maxRedirects: 0 });
    expect(unsigned.status()).toBe(303);
    expect(unsigned.headers()['location']).toBe('/login?next=%2Ffigures');
    expect((await context.request.post(`${base}/leads/any/claim`, { form: { csrf: 'x' } })).status()).toBe(401);

    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Console token').fill('wrong-token-wrong-token');
    await submit(page, () => page.getByRole('button', { name: 'Sign in' }).click(), 401);
    await page.getByText('That token is not the console token.').waitFor();
    expect(await page.locator('table.feed').count()).toBe(0);

    await page.getByLabel('Console token').fill(token);
    await submit(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    await page.waitForURL(`${base}/`);
    await page.locator('table.feed tbody tr').first().waitFor();
    expect(await page.content()).not.toContain(token);
    // The browser logs the wrong token's 401 page as a failed load; that one is expected, nothing else.
    expect(errors.filter((e) => !(e.includes('status of 401') && e.endsWith(`(${base}/login)`)))).toEqual([]);
    await context.close();
  });
});
