import { describe, expect, it } from 'vitest';
import { ZERO_USAGE, type ClassifierResult } from '../../src/core/classification.ts';
import type { Decision, HumanInput } from '../../src/core/decision.ts';
import { domainOnlyEnrichment } from '../../src/enrich/domain-facts.ts';
import { expectedFor, saysSpam } from '../../src/eval/export.ts';
import { createRedactor } from '../../src/eval/redact.ts';
import type { StoredDecision } from '../../src/store/decisions.ts';
import { buyer } from '../policy/fixtures.ts';

describe('redacting an exported lead', () => {
  const r = createRedactor({ keepDomains: ['mixpanel.com'] });

  it('keeps the kind of each address: free-mail, disposable, typo and policy-named domains stay, others become <hash>.example', () => {
    const email = (e: string) => r.lead({ email: e, message: 'hi' }).email;
    expect(email('jane.roe@gmail.com')).toMatch(/^person-[0-9a-f]{8}@gmail\.com$/);
    expect(email('x1@mailinator.com')).toMatch(/@mailinator\.com$/);
    expect(email('jane@gmial.com')).toMatch(/@gmial\.com$/);
    expect(email('c.holloway@mixpanel.com')).toMatch(/@mixpanel\.com$/);
    expect(email('jane@helixbio.com')).toMatch(/^person-[0-9a-f]{8}@[0-9a-f]{10}\.example$/);
    // One company, one stand-in domain, subdomains included; a role address keeps its local part.
    expect(email('info@helixbio.com').split('@')[1]).toBe(email('jane@eu.helixbio.com').split('@')[1]);
    expect(email('info@helixbio.com')).toMatch(/^info@/);
  });

  it('is deterministic, and replaces the sender\'s name, address, phone, domain and links in the message', () => {
    const lead = {
      name: 'Will Turner', email: 'will.turner@helixbio.com', company: 'Helix Bio', website: 'https://www.helixbio.com/', phone: '(030) 5550-1234',
      submitter_ip: '203.0.113.9',
      message: 'Will Turner here. We will need 40 seats by 2026-03-01; call (030) 5550-1234 or +49 30 9999 8888, mail will.turner@helixbio.com. '
        + 'Our site: helixbio.com, docs at https://docs.helixbio.com/x?y=1 and www.example.org. Thanks, Will',
    };
    const a = r.lead(lead);
    expect(r.lead(lead)).toEqual(a);
    expect(a.submitter_ip).toBeUndefined();
    expect(a.company).toBe('Helix Bio');
    const domain = a.email.split('@')[1]!;
    expect(a.website).toBe(`https://${domain}`);
    const m = a.message;
    for (const gone of ['Will Turner', 'Thanks, Will', 'will.turner', 'helixbio', '5550-1234', '9999 8888', 'https://', 'www.example.org']) expect(m).not.toContain(gone);
    expect(m).toContain(`${a.name} here.`);
    expect(m).toContain('We will need 40 seats by 2026-03-01');
    expect(m).toContain(`call ${a.phone} or [phone]`);
    expect(m).toContain(`mail ${a.email}.`);
    expect(m).toContain(`Our site: ${domain}, docs at [link] and [link]`);
    expect(m).toMatch(new RegExp(`Thanks, ${a.name!.split(' ')[0]}$`));
  });

  it('drops a website on another domain than the sender\'s', () => {
    expect(r.lead({ email: 'a@helixbio.com', website: 'https://someone-else.com', message: 'x' }).website).toBeUndefined();
    expect(r.lead({ email: 'a@gmail.com', website: 'https://my-portfolio.dev', message: 'x' }).website).toBeUndefined();
  });
});

const classification = (c: Partial<typeof buyer>): ClassifierResult => ({
  classification: { ...buyer, ...c }, classifier: 'claude', model: 'm', prompt_version: 'v', usage: ZERO_USAGE, cost_usd: 0, latency_ms: 0, attempts: 1, failure: null, fallback_reason: null,
});
function stored(c: Partial<typeof buyer>, d: Partial<Decision>, known = false): StoredDecision {
  const enrichment = domainOnlyEnrichment('a@helixbio.com');
  if (known) enrichment.crm_history = { contact_exists: true, company_exists: true, existing_customer: false, open_deal: false, previous_spam: false, prior_leads: 1 };
  return {
    row: {} as StoredDecision['row'],
    decision: { final_action: 'human_review', route: 'sales', priority: 'medium', actions: [], held_actions: [], rules: [], needs_review: true, policy_hash: 'p', ...d },
    classification: classification(c), enrichment, human: null,
  };
}
const human = (kind: 'edit' | 'reject', reason: string | null, override: HumanInput['override'] = null): HumanInput => ({ kind, user_id: 'U0APPROVE1', reason, override });

describe('the expected answer a review stands for', () => {
  it('an edit that only changes the priority keeps the machine\'s intent and route', () => {
    expect(expectedFor(stored({ intent: 'buying' }, { route: 'founder' }), human('edit', 'bump', { priority: 'high', owner: null }))).toEqual({
      intent: 'buying', final_action: 'auto_route_sales', route: 'founder', priority: 'high',
      acceptable_actions: ['auto_route_sales', 'human_review'], must_not: ['auto_route_support', 'auto_reject_spam'],
    });
  });

  it('an edit to spam without a route means reject, never route; for a known contact a person decides', () => {
    expect(expectedFor(stored({}, {}), human('edit', 'pitch', { intent: 'spam', owner: null }))).toMatchObject({
      intent: 'spam', final_action: 'auto_reject_spam', acceptable_actions: ['auto_reject_spam', 'human_review'], must_not: ['auto_route_sales', 'auto_route_support'],
    });
    expect(expectedFor(stored({}, {}, true), human('edit', 'pitch', { intent: 'spam', owner: null }))).toMatchObject({
      final_action: 'human_review', acceptable_actions: ['human_review'], must_not: ['auto_route_sales', 'auto_route_support', 'auto_reject_spam'],
    });
  });

  it('a reject is spam only on the reviewer\'s word; otherwise a person decides and it is never routed', () => {
    expect(expectedFor(stored({ intent: 'buying' }, {}), human('reject', 'phishing attempt'))).toMatchObject({ intent: 'spam', final_action: 'auto_reject_spam' });
    expect(expectedFor(stored({ intent: 'buying' }, {}), human('reject', 'competitor fishing for prices'))).toEqual({
      intent: 'unclear', final_action: 'human_review', acceptable_actions: ['human_review'], must_not: ['auto_route_sales', 'auto_route_support', 'auto_reject_spam'],
    });
    // The model read spam and the reviewer did not say otherwise: not routed, an automatic reject not expected either.
    expect(expectedFor(stored({ intent: 'spam' }, {}), human('reject', 'no'))).toEqual({
      intent: 'spam', final_action: 'human_review', acceptable_actions: ['human_review'], must_not: ['auto_route_sales', 'auto_route_support'],
    });
    expect(expectedFor(stored({}, {}, true), human('reject', 'spam'))).toMatchObject({ intent: 'spam', final_action: 'human_review', must_not: ['auto_route_sales', 'auto_route_support', 'auto_reject_spam'] });
  });

  it('reads "spam" in a reason unless it is denied', () => {
    expect(['Spam', 'SEO spammer', 'a scam', 'junk', 'Phishing link'].map(saysSpam)).toEqual([true, true, true, true, true]);
    expect(['not spam, just not a fit', "isn't spam", 'student', null].map(saysSpam)).toEqual([false, false, false, false]);
  });
});
