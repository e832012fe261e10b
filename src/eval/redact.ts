import { createHash } from 'node:crypto';
import { domainFacts } from '../enrich/domain-facts.ts';
import { emailDomain } from '../core/lead.ts';

/** The submission fields an exported case carries (data/eval/README.md, `lead`). */
export interface CaseLead {
  name?: string;
  email: string;
  company?: string;
  website?: string;
  phone?: string;
  message: string;
  submitted_at?: string;
  submitter_ip?: string;
  source?: string;
}

export interface Redactor {
  lead(l: CaseLead): CaseLead;
  /** Free text (a reviewer's reason): the same replacements, with this lead's names and addresses. */
  text(s: string, l: CaseLead): string;
}

// Stand-ins read like people, so a redacted message still reads like a form submission.
const FIRST = ['Alex', 'Sam', 'Robin', 'Kim', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Jamie', 'Avery', 'Riley', 'Quinn', 'Dana', 'Noor', 'Mika', 'Sasha'];
const LAST = ['Lee', 'Novak', 'Okafor', 'Silva', 'Berg', 'Moreau', 'Tanaka', 'Kowalski', 'Haddad', 'Larsen', 'Costa', 'Iyer', 'Meyer', 'Rossi', 'Park', 'Walsh'];

const digest = (s: string) => createHash('sha256').update(s.normalize('NFC').toLowerCase()).digest('hex');
const pick = <T>(list: readonly T[], hex: string) => list[parseInt(hex.slice(0, 8), 16) % list.length]!;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whole words only, in any script: "Ana" must not eat "Analytics". */
const word = (s: string, flags: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(s)}(?![\\p{L}\\p{N}])`, flags);

const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const URL_LIKE = /\b(?:https?:\/\/|www\.)[^\s<>"')\]]+/gi;
// Seven or more digits with the usual separators; dates are not phone numbers.
const PHONE = /(?<![\p{L}\p{N}])\+?\(?\d[\d\s().\-/]{5,}\d(?![\p{L}\p{N}])/gu;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Deterministic pseudonyms for personal data in an exported case: the same input always gives the same output, so a
 * re-export diffs cleanly and one person keeps one stand-in across cases. Names become stand-in names; an address keeps
 * its kind (a role address keeps its local part; free-mail, disposable and typo domains, and domains the policy names,
 * stay as they are, because what kind of domain it is changes the decision); any other domain becomes `<hash>.example`;
 * phones become fictional 555-01xx numbers; links in text become `[link]`; the submitter IP is dropped.
 * Unsalted hashes are pseudonyms, not anonymity: a guessed address can be checked against one.
 */
export function createRedactor(opts: { keepDomains?: Iterable<string> } = {}): Redactor {
  const keep = new Set([...(opts.keepDomains ?? [])].map((d) => d.toLowerCase()));

  function domainOf(domain: string): string {
    const facts = domainFacts(`x@${domain}`);
    const registrable = facts.registrable_domain ?? domain;
    if (facts.is_free_mail || facts.is_disposable || facts.suggested_domain || keep.has(domain) || keep.has(registrable)) return domain;
    return `${digest(registrable).slice(0, 10)}.example`;
  }
  function email(address: string): string {
    const domain = emailDomain(address);
    const local = address.slice(0, address.lastIndexOf('@'));
    const role = domainFacts(address).is_role_address;
    return `${role ? local : `person-${digest(address).slice(0, 8)}`}@${domainOf(domain)}`;
  }
  function name(full: string): string {
    const h = digest(full);
    return `${pick(FIRST, h)} ${pick(LAST, h.slice(8))}`;
  }
  const phone = (p: string) => `+1-555-01${String(parseInt(digest(p.replace(/\D/g, '')).slice(0, 4), 16) % 100).padStart(2, '0')}`;

  function text(s: string, l: CaseLead): string {
    // Replacements are parked behind placeholders, so a later pattern never rewrites an earlier replacement.
    const parked: string[] = [];
    const park = (v: string) => `\u0000${parked.push(v) - 1}\u0000`;
    let out = s.replace(URL_LIKE, () => park('[link]')).replace(EMAIL, (m) => park(email(m)));
    if (l.phone && l.phone.replace(/\D/g, '').length >= 7) out = out.split(l.phone.trim()).join(park(phone(l.phone)));
    out = out.replace(PHONE, (m) => (DATE.test(m.trim()) || m.replace(/\D/g, '').length < 7 ? m : park('[phone]')));
    // The sender's own domain, written bare in the text ("we at helixbio.com"), follows their address.
    const own = emailDomain(l.email);
    const mapped = domainOf(own);
    if (mapped !== own) out = out.replace(word(own, 'giu'), park(mapped));
    const full = l.name?.trim();
    if (full) {
      const stand = name(full);
      const [first, ...rest] = stand.split(' ');
      out = out.replace(word(full, 'giu'), park(stand));
      // Parts of the name as written (case kept: "Will" is a name, "will" a verb).
      const parts = full.split(/\s+/).filter((t) => t.replace(/[^\p{L}]/gu, '').length >= 2);
      parts.forEach((t, i) => { out = out.replace(word(t, 'gu'), park(i === 0 ? first! : rest.join(' '))); });
    }
    return out.replace(/\u0000(\d+)\u0000/g, (_, i: string) => parked[Number(i)]!);
  }

  function website(site: string, l: CaseLead): string | undefined {
    let host: string;
    try {
      host = new URL(/^https?:\/\//i.test(site) ? site : `https://${site}`).hostname.toLowerCase();
    } catch {
      return undefined;
    }
    const ownFacts = domainFacts(l.email);
    const siteFacts = domainFacts(`x@${host}`);
    const registrable = siteFacts.registrable_domain ?? host;
    if (registrable === (ownFacts.registrable_domain ?? ownFacts.email_domain) || keep.has(registrable)) return `https://${domainOf(host)}`;
    return undefined;
  }

  return {
    text,
    lead(l) {
      const out: CaseLead = { ...l, email: email(l.email), message: text(l.message, l) };
      if (l.name !== undefined) out.name = name(l.name);
      if (l.phone !== undefined) out.phone = phone(l.phone);
      if (l.website !== undefined) {
        const site = website(l.website, l);
        if (site) out.website = site;
        else delete out.website;
      }
      delete out.submitter_ip;
      return out;
    },
  };
}
