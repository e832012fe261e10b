import { domainToUnicode } from 'node:url';
import { distance } from 'fastest-levenshtein';
import { rectifyConfusion } from 'unicode-confusables';
import { parse } from 'tldts';
import { withinDomain } from '../../core/domain.ts';

export interface Lookalike {
  /** The protected domain (ours or a competitor's) the sender's domain imitates. */
  imitates: string;
  why: 'confusable letters' | 'mixed scripts' | 'one edit away' | 'same name, other ending';
}

/** UTS #39 skeleton: what a domain looks like once confusable characters are mapped to their prototypes (m → rn, 1 → l, Cyrillic а → a). */
const skeleton = (s: string): string => rectifyConfusion(s.normalize('NFD')).normalize('NFD');

const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Hebrew', 'Arabic', 'Han', 'Hiragana', 'Katakana', 'Hangul'].map((s) => new RegExp(`\\p{Script=${s}}`, 'u'));
const mixesScripts = (domain: string): boolean => domain.split('.').some((label) => SCRIPTS.filter((re) => re.test(label)).length > 1);

function nameOf(domain: string): string {
  const p = parse(domain);
  return (p.domainWithoutSuffix ?? domain.split('.')[0] ?? domain).replace(/-/g, '');
}

/**
 * Whether `senderDomain` (punycode or Unicode) imitates one of `protectedDomains` without being it: confusable
 * letters, a label mixing scripts, one edit away (acmeanalytlcs), or the same name under another ending or with
 * a hyphen (acme-analytics.co, heap-io.com). Pure; names the imitated domain for the card.
 */
export function lookalikeOf(senderDomain: string, protectedDomains: readonly string[]): Lookalike | null {
  const sender = (domainToUnicode(senderDomain.toLowerCase()) || senderDomain).toLowerCase();
  if (protectedDomains.some((d) => withinDomain(sender, d))) return null;
  const mixed = mixesScripts(sender);
  const senderName = nameOf(sender);
  const senderFlat = sender.replace(/[-.]/g, '');
  for (const target of protectedDomains) {
    const targetName = nameOf(target);
    if (skeleton(sender) === skeleton(target) || skeleton(senderName) === skeleton(targetName)) return { imitates: target, why: mixed ? 'mixed scripts' : 'confusable letters' };
    if (senderName === targetName || senderFlat.startsWith(target.replace(/[-.]/g, ''))) return { imitates: target, why: 'same name, other ending' };
    if (targetName.length >= 6 && distance(skeleton(senderName), skeleton(targetName)) === 1) return { imitates: target, why: 'one edit away' };
  }
  return null;
}

/** How a card names a domain: as it reads, with its punycode beside it when they differ (аcme.com (xn--cme-8cd.com)). */
export function displayDomain(domain: string): string {
  const unicode = domainToUnicode(domain);
  return unicode && unicode !== domain ? `${unicode} (${domain})` : domain;
}

/** A label mixing scripts (Latin with Cyrillic …) imitates something even when we cannot say what. */
export function mixedScriptDomain(senderDomain: string): boolean {
  return mixesScripts(domainToUnicode(senderDomain.toLowerCase()) || senderDomain);
}
