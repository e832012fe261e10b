import { createRequire } from 'node:module';
import { parse } from 'tldts';
import spellChecker from '@zootools/email-spell-checker';
import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';
import type { Enrichment } from '../core/enrichment.ts';
import { emailDomain } from '../core/lead.ts';

const require = createRequire(import.meta.url);
const FREE_MAIL: ReadonlySet<string> = new Set(require('email-providers/all.json') as string[]);
/** The big list also holds typo-squats (gmial.com); only these well-known providers are typo targets. */
const COMMON_MAIL: ReadonlySet<string> = new Set([
  ...(require('email-providers/common.json') as string[]),
  ...spellChecker.POPULAR_DOMAINS,
]);
/**
 * The disposable-email-domains project's blocklist (lower-case, one domain an entry). Every entry also covers its
 * subdomains (`x.mailinator.com`), and some entries are themselves subdomains of a shared host
 * (`0-mailer.dynv6.net`) that leave the parent (`dynv6.net`) alone. Built once: the package's
 * `isDisposableEmailDomain` rebuilds the Set on every call.
 */
const DISPOSABLE: ReadonlySet<string> = disposableEmailBlocklistSet();

/** Shared mailboxes: a reply reaches a team, not a buyer, so fit evidence from them is weaker. */
const ROLE_LOCAL_PARTS: ReadonlySet<string> = new Set([
  'admin', 'administrator', 'billing', 'contact', 'enquiries', 'help', 'hello', 'hi', 'hr', 'info', 'inquiries',
  'jobs', 'legal', 'mail', 'marketing', 'media', 'noreply', 'no-reply', 'office', 'postmaster', 'press', 'privacy',
  'sales', 'security', 'support', 'team', 'webmaster', 'abuse', 'careers', 'accounts', 'finance', 'it', 'ops',
]);

/** The domain or any parent of it is listed: one Set lookup a label (`a.b.mailinator.com` → … → `mailinator.com`). */
function isDisposable(domain: string): boolean {
  for (let d = domain; ; ) {
    if (DISPOSABLE.has(d)) return true;
    const dot = d.indexOf('.');
    if (dot === -1) return false;
    d = d.slice(dot + 1);
  }
}

/**
 * A likely typo of a common mail domain (gmial.com → gmail.com). The checker also "corrects"
 * legitimate business domains (linear.app → live.app), so only suggestions that land on a common
 * mail provider, from a domain that is not one itself, are kept.
 */
function suggestDomain(email: string, domain: string): string | null {
  if (COMMON_MAIL.has(domain)) return null;
  const suggestion = spellChecker.run({ email })?.domain?.toLowerCase();
  if (!suggestion || suggestion === domain || !COMMON_MAIL.has(suggestion)) return null;
  return suggestion;
}

/** Facts about an email address derived from maintained lists only: no network, no clock. */
export function domainFacts(email: string): Enrichment['domain'] {
  const normalized = email.trim().toLowerCase();
  const domain = emailDomain(normalized);
  const local = normalized.slice(0, normalized.lastIndexOf('@')).split('+')[0] ?? '';
  const parsed = parse(domain, { allowPrivateDomains: false });
  const registrable = parsed.isIp ? null : parsed.domain;
  const publicSuffix = parsed.isIp ? null : parsed.publicSuffix;
  return {
    email_domain: domain,
    registrable_domain: registrable,
    public_suffix: publicSuffix,
    is_free_mail: FREE_MAIL.has(domain) || (registrable !== null && FREE_MAIL.has(registrable)),
    is_disposable: isDisposable(domain),
    is_role_address: ROLE_LOCAL_PARTS.has(local),
    suggested_domain: suggestDomain(normalized, domain),
  };
}

/** Enrichment from the email alone, no lookups: for leads the precheck rejected, the eval harness, and decisions stored without one. */
export function domainOnlyEnrichment(email: string, degraded: Enrichment['degraded'] = []): Enrichment {
  return { domain: domainFacts(email), crm_history: null, company: null, degraded };
}
