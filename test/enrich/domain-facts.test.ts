import { describe, expect, it } from 'vitest';
import { domainFacts } from '../../src/enrich/domain-facts.ts';
import { EnrichmentSchema } from '../../src/core/enrichment.ts';

describe('domainFacts', () => {
  it('reads registrable domain and public suffix with the PSL', () => {
    const f = domainFacts('Jane@Mail.Example.co.uk');
    expect(f).toMatchObject({ email_domain: 'mail.example.co.uk', registrable_domain: 'example.co.uk', public_suffix: 'co.uk' });
    expect(f.is_free_mail).toBe(false);
  });

  it('flags free-mail providers', () => {
    expect(domainFacts('bob@gmail.com').is_free_mail).toBe(true);
    expect(domainFacts('bob@stripe.com').is_free_mail).toBe(false);
  });

  it('flags disposable domains, including their subdomains', () => {
    expect(domainFacts('x@mailinator.com').is_disposable).toBe(true);
    expect(domainFacts('x@foo.mailinator.com').is_disposable).toBe(true);
    expect(domainFacts('x@a.b.yopmail.com').is_disposable).toBe(true);
    expect(domainFacts('x@stripe.com').is_disposable).toBe(false);
    // a listed mailbox host on a shared dynamic-DNS domain does not taint the domain itself
    expect(domainFacts('x@dynv6.net').is_disposable).toBe(false);
  });

  it('recognises role addresses, ignoring plus tags', () => {
    expect(domainFacts('sales@acme.io').is_role_address).toBe(true);
    expect(domainFacts('info+forms@acme.io').is_role_address).toBe(true);
    expect(domainFacts('jane.doe@acme.io').is_role_address).toBe(false);
  });

  it('suggests a fix only for typos of known mail providers', () => {
    expect(domainFacts('a@gmial.com').suggested_domain).toBe('gmail.com');
    expect(domainFacts('a@hotmial.com').suggested_domain).toBe('hotmail.com');
    expect(domainFacts('a@gmail.con').suggested_domain).toBe('gmail.com');
    expect(domainFacts('a@gmail.com').suggested_domain).toBeNull();
    // the raw checker proposes live.app here: a real business domain must not be "corrected"
    expect(domainFacts('a@linear.app').suggested_domain).toBeNull();
  });

  it('handles IP-literal domains without a registrable domain', () => {
    const f = domainFacts('a@[127.0.0.1]');
    expect(f.registrable_domain).toBeNull();
  });

  it('always satisfies the enrichment schema', () => {
    for (const e of ['a@b.co', 'x@localhost', 'q@sub.domain.example.com']) {
      expect(EnrichmentSchema.shape.domain.safeParse(domainFacts(e)).success).toBe(true);
    }
  });
});
