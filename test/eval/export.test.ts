import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalCommand } from '../../src/cli/commands/eval.ts';
import { parseDataset } from '../../src/eval/dataset.ts';
import { decide } from '../../src/policy/decide.ts';
import { resolveReview, type ReviewKind } from '../../src/review/resolve.ts';
import { overrideRate } from '../../src/review/overrides.ts';
import type { HumanInput } from '../../src/core/decision.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { runCommand } from '../helpers/command.ts';

const APPROVER = 'U0APPROVE1';
const SUBMISSIONS = {
  buyer: { event_id: 'x-buyer', email: 'sam.k@gmail.com', name: 'Sam K', message: 'We are a 30-person SaaS team evaluating analytics tools. Could you send pricing for 10 seats and book a demo next week?' },
  seo: { event_id: 'x-seo', email: 'outreach.team@outlook.com', name: 'Ravi', message: 'We offer SEO services and guaranteed first page Google ranking for your website at low cost. Reply for a free audit.' },
  thesis: { event_id: 'x-thesis', email: 'lena.fischer@gmail.com', name: 'Lena Fischer', message: 'Hi, I am writing my master thesis on product analytics and would love to use Acme for free for my research project.' },
  callback: {
    event_id: 'x-callback', email: 'j.doe@northwind-traders.com', name: 'John Doe', company: 'Northwind Traders', phone: '+1 415 555 2671',
    message: 'Hello, John Doe here: call me back please about our account, my number is +1 415 555 2671, or mail john.doe@northwind-traders.com. See https://northwind-traders.com/about',
  },
  approved: { event_id: 'x-approved', email: 'kai.m@gmail.com', name: 'Kai M', message: 'Our 12-person startup wants a demo of your analytics and pricing for 5 seats this month.' },
};

let t: TestApp;
const decisionOf: Record<string, string> = {};

function review(name: keyof typeof SUBMISSIONS, kind: ReviewKind, reason: string | null, override?: HumanInput['override']) {
  const { db, audit, leads } = t.app;
  const out = resolveReview({ db, audit, leads, loaded: t.loaded, decide }, { decisionId: decisionOf[name]!, kind, userId: APPROVER, reason, override: override ?? null });
  expect(out.outcome).toBe('resolved');
}

/** The eval command as the CLI runs it, against the test app's database and policy. */
async function cli(args: string[]) {
  const { code, out, err } = await runCommand(evalCommand, args, t.env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  t = await startTestApp();
  const leadOf: Record<string, string> = {};
  for (const [name, body] of Object.entries(SUBMISSIONS)) leadOf[name] = (await t.deliver('generic', body)).body.lead_id as string;
  await t.settle();
  for (const [name, leadId] of Object.entries(leadOf)) {
    decisionOf[name] = t.app.db.prepare("SELECT id FROM decisions WHERE lead_id = ? AND status = 'pending_review'").pluck().get(leadId) as string;
  }
  review('buyer', 'edit', 'Real buyer: Sam K asked for a demo, write to sam.k@gmail.com', { intent: 'buying', route: 'sales', priority: 'high', owner: null });
  review('seo', 'reject', 'Spam: an SEO pitch');
  review('thesis', 'reject', 'Student thesis, not a fit');
  review('callback', 'edit', 'John Doe is a customer; support should call +1 415 555 2671', { intent: 'support', route: 'support', owner: null });
  review('approved', 'approve', null);
}, 60_000);
afterAll(async () => {
  await t.stop();
});

const lines = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('//')).map((l) => JSON.parse(l) as Record<string, any>);

describe('eval export --from-reviews', () => {
  it('writes every Edit and Reject as a case with the reviewer\'s answer, and the file passes eval', async () => {
    const file = join(t.dir, 'reviews.jsonl');
    const r = await cli(['export', '--from-reviews', '--out', file]);
    expect(r).toMatchObject({ code: 0, out: '' });
    expect(r.err).toContain('4 cases written to');
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^\/\/ lead-triage eval export --from-reviews: 4 cases from Edit and Reject reviews resolved at any time/);
    const byEmail = Object.fromEntries(lines(text).map((c) => [c.lead.email, c]));
    expect(Object.keys(byEmail).sort()).toEqual(['j.doe@northwind-traders.com', 'lena.fischer@gmail.com', 'outreach.team@outlook.com', 'sam.k@gmail.com']);

    const buyer = byEmail['sam.k@gmail.com'];
    expect(buyer.id).toBe(`review-${decisionOf.buyer!.slice(0, 8)}`);
    expect(buyer.lead).toMatchObject({ name: 'Sam K', message: SUBMISSIONS.buyer.message, source: 'generic' });
    expect(buyer.expected).toEqual({
      intent: 'buying', final_action: 'auto_route_sales', route: 'sales', priority: 'high',
      acceptable_actions: ['auto_route_sales', 'human_review'], must_not: ['auto_route_support', 'auto_reject_spam'],
    });
    expect(buyer.note).toBe('Real buyer: Sam K asked for a demo, write to sam.k@gmail.com');
    expect(buyer.review).toMatchObject({ decision_id: decisionOf.buyer, kind: 'edit', by: APPROVER });

    expect(byEmail['outreach.team@outlook.com'].expected).toEqual({
      intent: 'spam', final_action: 'auto_reject_spam', acceptable_actions: ['auto_reject_spam', 'human_review'], must_not: ['auto_route_sales', 'auto_route_support'],
    });
    // Not spam by the reviewer's word: a person decides, nothing automatic.
    expect(byEmail['lena.fischer@gmail.com'].expected).toEqual({
      intent: 'researching', final_action: 'human_review', acceptable_actions: ['human_review'], must_not: ['auto_route_sales', 'auto_route_support', 'auto_reject_spam'],
    });
    expect(byEmail['j.doe@northwind-traders.com'].expected).toMatchObject({
      intent: 'support', final_action: 'auto_route_support', route: 'support', must_not: ['auto_route_sales', 'auto_reject_spam'],
    });

    // Loads with the harness as it is, and runs: the configured (offline) classifier, then the honest model held to no harm.
    expect(parseDataset(text)).toHaveLength(4);
    const plain = await cli([file, '--json']);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.out)).toMatchObject({ total: 4 });
    const honest = await cli([file, '--model', 'honest', '--max-unsafe', '0']);
    expect(honest.err).toBe('');
    expect(honest.code).toBe(0);
  }, 30_000);

  it('--redact replaces names, addresses, phones and links deterministically, keeping free-mail, and still passes eval', async () => {
    const a = await cli(['export', '--from-reviews', '--redact']);
    const b = await cli(['export', '--from-reviews', '--redact']);
    expect(a.code).toBe(0);
    expect(a.out.split('\n').slice(1)).toEqual(b.out.split('\n').slice(1));
    expect(a.out.split('\n')[0]).toContain('personal data redacted');
    for (const secret of ['Sam K', 'sam.k@', 'Lena', 'Fischer', 'John', 'Doe', 'j.doe', 'john.doe', 'northwind-traders.com', '415 555 2671', 'https://', APPROVER]) {
      expect(a.out).not.toContain(secret);
    }
    const cases = lines(a.out);
    const callback = cases.find((c) => c.review.decision_id === decisionOf.callback)!;
    expect(callback.lead.email).toMatch(/^person-[0-9a-f]{8}@[0-9a-f]{10}\.example$/);
    expect(callback.lead.phone).toMatch(/^\+1-555-01\d\d$/);
    expect(callback.lead.company).toBe('Northwind Traders');
    expect(callback.lead.submitter_ip).toBeUndefined();
    expect(callback.lead.message).toContain('[link]');
    expect(callback.lead.message).toContain(callback.lead.phone);
    expect(callback.lead.message).toContain(`@${callback.lead.email.split('@')[1]}`);
    expect(callback.note).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ is a customer; support should call \+1-555-01\d\d$/);
    expect(callback.note.startsWith(callback.lead.name)).toBe(true);
    const buyer = cases.find((c) => c.review.decision_id === decisionOf.buyer)!;
    expect(buyer.lead.email).toMatch(/^person-[0-9a-f]{8}@gmail\.com$/);
    expect(buyer.note).toContain(buyer.lead.email);
    expect(buyer.review.by).toBeUndefined();
    // The labels do not change with redaction.
    expect(buyer.expected.final_action).toBe('auto_route_sales');

    const file = join(t.dir, 'redacted.jsonl');
    expect((await cli(['export', '--from-reviews', '--redact', '--out', file])).code).toBe(0);
    const run = await cli([file, '--model', 'honest', '--max-unsafe', '0']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
  }, 30_000);

  it('--since keeps only reviews resolved within it', async () => {
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    t.app.db.prepare('UPDATE decisions SET resolved_at = ? WHERE id = ?').run(old, decisionOf.thesis);
    const r = await cli(['export', '--from-reviews', '--since', '30d']);
    expect(r.code).toBe(0);
    expect(lines(r.out).map((c) => c.review.decision_id)).not.toContain(decisionOf.thesis);
    expect(lines(r.out)).toHaveLength(3);
    expect(lines((await cli(['export', '--from-reviews'])).out)).toHaveLength(4);
  });

  it('counts the week\'s overrides: Edit and Reject against every resolved review (the thesis reject was moved 40 days back above)', () => {
    expect(overrideRate(t.app.db, 7 * 86_400_000)).toEqual({ reviews: 4, overrides: 3, edits: 2, rejects: 1, rate: 0.75 });
  });
});
