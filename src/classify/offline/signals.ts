import type { CanonicalLead } from '../../core/lead.ts';
import type { Enrichment } from '../../core/enrichment.ts';
import type { Policy } from '../../policy/schema.ts';
import { wordCount } from '../../policy/rules/text.ts';
import { findPhrases } from '../../policy/rules/phrases.ts';
import { BUYING, COMPETITIVE_INTEL, JOB_SEEKING, NOT_BUYING, PEOPLE_COUNT, PHISHING, PITCH, RESEARCH, SPAM, SUPPORT, WEAK_BUYING } from './lexicon.ts';
import { injectionSignals } from '../../policy/rules/text.ts';
import { clipText, foldForMatching } from '../../core/text.ts';
import { withinDomain } from '../../core/domain.ts';
import { statedCompanySize } from './size.ts';

/**
 * Every list holds what the person wrote (see `said`), one entry per lexicon pattern or policy phrase that matched:
 * its length is the signal's weight, so two patterns matching the same words count twice and the words may repeat.
 * A pattern's source never leaves this file; `plainList` is how a list becomes evidence text.
 */
export interface Signals {
  words: number;
  /** Spam, pitch and phishing matches, words matched by several patterns once: the weight of the spam verdict. */
  spam: string[];
  /** What the submitter wrote that reads as a seller's pitch or a scam, quoted (a few words each) for the card. */
  pitchQuotes: string[];
  phishingQuotes: string[];
  buying: string[];
  /** Buying words that are not also the vocabulary of pitches and small talk. */
  strongBuying: string[];
  support: string[];
  research: string[];
  job: string[];
  notBuying: string[];
  products: string[];
  injection: boolean;
  fit: string[];
  disqualifiers: string[];
  highValue: string[];
  /** The company's headcount: enrichment's company facts, else what the message says of the whole company (never a team's). */
  employees: number | null;
  employeesFrom: 'company facts' | 'message' | null;
  /** The message counts people (a company, a team, the users to be): corroborates a buyer, says nothing of company size. */
  peopleCounted: boolean;
  industries: string[];
  gibberish: boolean;
  competitor: boolean;
  /** The sender says their work is watching competitors ("competitive intelligence analyst"). */
  competitiveIntel: string[];
  academicDomain: boolean;
}

/** A web address, in a quote or in a message. */
const LINK = /(?:https?:\/\/|www\.)[^\s<>|]+/g;

/**
 * Matched text as evidence: lower-cased, whitespace collapsed, clipped to 40 characters. A web address is "a link" (a
 * scam's link must not become clickable on a card); characters that format Slack mrkdwn or read as markup or pattern
 * syntax (`*`, `~`, backticks, `|`, `<>`, brackets, parentheses, backslashes) become spaces, so a quote reads as words
 * on a card, in a CRM note and in the audit trail.
 */
export function said(match: string): string {
  const plain = match
    .toLowerCase()
    .replace(LINK, ' a link ')
    .replace(/[^\p{L}\p{M}\p{N}\s'’.,:;!?/&@#%+=$€£¥_-]/gu, ' ')
    .replace(/\?:/g, '? ')
    .replace(/\s+/g, ' ')
    .trim();
  return clipText(plain, 40).trim();
}

/** A list as evidence text: each thing said once, at most `max` of them. */
export function plainList(list: readonly string[], max = 8): string {
  const unique = [...new Set(list.filter(Boolean))];
  return unique.length > max ? `${unique.slice(0, max).join(', ')} …` : unique.join(', ');
}

/**
 * A pattern's `\w` as any letter, so a stem reaches past ASCII ("wycen\w*" finds "wycenę", "factur\w*" "facturación"):
 * JavaScript's `\w` is ASCII even in Unicode mode, and the closing boundary then rejects the whole word.
 */
function unicodeWordChars(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\' && i + 1 < source.length) {
      const next = source[++i]!;
      out += next === 'w' ? (inClass ? '\\p{L}\\p{M}\\p{N}_' : '[\\p{L}\\p{M}\\p{N}_]') : `\\${next}`;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    out += ch;
  }
  return out;
}

function compile(sources: readonly string[]): { source: string; re: RegExp }[] {
  // Unspaced scripts (CJK, Hangul) have no word boundaries to anchor on.
  return sources.map((s) => {
    const pattern = unicodeWordChars(s);
    return { source: s, re: UNSPACED_SCRIPT.test(s) ? new RegExp(pattern, 'iu') : new RegExp(`(?<![\\p{L}\\p{N}])(${pattern})(?![\\p{L}\\p{N}])`, 'iu') };
  });
}
const UNSPACED_SCRIPT = /\p{Script=Han}|\p{Script=Katakana}|\p{Script=Hiragana}|\p{Script=Hangul}/u;
const LISTS = {
  spam: compile([...SPAM, ...PITCH, ...PHISHING]), pitch: compile(PITCH), phishing: compile(PHISHING), buying: compile(BUYING), support: compile(SUPPORT),
  research: compile(RESEARCH), competitiveIntel: compile(COMPETITIVE_INTEL), job: compile(JOB_SEEKING), notBuying: compile(NOT_BUYING),
};
const PEOPLE_COUNT_RE = new RegExp(PEOPLE_COUNT, 'iu');
interface Hit { source: string; said: string }
/** Each pattern of `list` found in `text`, with the words it matched and where they end. */
const scan = (list: { source: string; re: RegExp }[], text: string): (Hit & { end: number })[] =>
  list.flatMap((x) => {
    const m = x.re.exec(text);
    return m ? [{ source: x.source, said: said(m[0]), end: m.index + m[0].length }] : [];
  });
const hits = (list: { source: string; re: RegExp }[], text: string): string[] => scan(list, text).map((h) => h.said);
/**
 * As `hits`, but patterns whose matches end on the same word count once: three patterns reading "$400/hour" are one
 * thing said. (A scam's link after "overdue … remit" ends elsewhere than "remit" and still counts apart.)
 */
function distinctHits(list: { source: string; re: RegExp }[], text: string): string[] {
  const byEnd = new Map<number, string>();
  for (const h of scan(list, text)) if (!byEnd.has(h.end)) byEnd.set(h.end, h.said);
  return [...byEnd.values()];
}
const quotes = (list: { source: string; re: RegExp }[], text: string): string[] => [...new Set(hits(list, text).filter(Boolean))];
const phrases = (text: string, list: readonly string[]): Hit[] => findPhrases(text, list).map((f) => ({ source: f.phrase, said: said(f.said) }));

/**
 * A link to a login, verification, payment or prize page anywhere but our own site: the shape of a credential or
 * payment harvest whatever language the words around it are in. A sender's own homepage has none of these words.
 */
const CREDENTIAL_LINK = /https?:\/\/([^\s/?#:]+)\S*?(?<![\p{L}\p{N}])(log-?in|sign-?in|verify|verification|auth|restore|unlock|reset|pay|payments?|redeliver\w*|wallet|webmail|claim|renew)(?![\p{L}\p{N}])\S*/giu;
function credentialLinks(text: string, ours: readonly string[]): string[] {
  return [...text.matchAll(CREDENTIAL_LINK)]
    .filter((m) => {
      const host = m[1]!.toLowerCase();
      return !ours.some((d) => withinDomain(host, d));
    })
    .map((m) => said(m[0]));
}

/** Keyboard mash: Latin tokens with no vowel or long consonant runs ("hjkdfshjk fdsjkl"). */
function isGibberish(message: string): boolean {
  // Mojibake (UTF-8 read as Latin-1: "Ð´ÐµÐ½Ñ") is what bulk senders' broken encoders produce, never a person.
  if ((message.match(/[ÃÂÐÑ][\u0080-\u00bf]/g)?.length ?? 0) >= 5) return true;
  const tokens = message.toLowerCase().match(/[a-z]{4,}/g) ?? [];
  if (tokens.length === 0) return false;
  const odd = tokens.filter((t) => !/[aeiouy]/.test(t) || /[^aeiouy]{5,}/.test(t)).length;
  return odd / tokens.length >= 0.5;
}

/**
 * Where a mail client's boilerplate starts (a confidentiality notice, "sent from my iPhone", an unsubscribe line): it
 * says nothing of what the sender wants, but its words ("received in error", "unsubscribe") read as a support request.
 */
const MAIL_FOOTER = [
  /\b(this|the information in this) (e-?mail|message|communication)( and any (attachments?|files?)[^.]{0,40})? (is|are|may (be|contain)|contains?) (strictly )?(confidential|privileged|intended)/i,
  /\bconfidentiality notice\b|\bdisclaimer\s*:/i,
  /\bif you (have )?received (this|it) (e-?mail |message )?(in error|by mistake)/i,
  /\bto (stop receiving|unsubscribe from) [\w ]{0,30}e-?mails\b/i,
  /\bsent from my (iphone|ipad|android|mobile|phone|galaxy)\b/i,
];

export function withoutMailFooter(message: string): string {
  const starts = MAIL_FOOTER.map((re) => message.search(re)).filter((at) => at > 0);
  if (starts.length === 0) return message;
  const body = message.slice(0, Math.min(...starts));
  return wordCount(body) >= 4 ? body : message;
}

/** Company facts first; the message only where it states the whole company's size. */
function headcount(message: string, enrichment: Enrichment): Pick<Signals, 'employees' | 'employeesFrom'> {
  const known = enrichment.company?.employee_count;
  if (known !== null && known !== undefined) return { employees: known, employeesFrom: 'company facts' };
  const stated = statedCompanySize(message);
  return stated !== null ? { employees: stated, employeesFrom: 'message' } : { employees: null, employeesFrom: null };
}

/**
 * The embedded classifier and the second key read the same lead with the same enrichment and policy (the same
 * objects) in one pipeline run: the reading is kept per lead object, so it is done once.
 */
const lastReading = new WeakMap<CanonicalLead, { enrichment: Enrichment; policy: Policy; signals: Signals }>();

export function readSignals(lead: CanonicalLead, enrichment: Enrichment, policy: Policy): Signals {
  const last = lastReading.get(lead);
  if (last && last.enrichment === enrichment && last.policy === policy) return last.signals;
  const signals = computeSignals(lead, enrichment, policy);
  lastReading.set(lead, { enrichment, policy, signals });
  return signals;
}

function computeSignals(lead: CanonicalLead, enrichment: Enrichment, policy: Policy): Signals {
  // Fullwidth letters and zero-width characters must not hide a word from the lists.
  const message = foldForMatching(lead.message);
  // Intent is read from what the person wrote; seller and scam patterns also read their mail client's footer.
  const body = withoutMailFooter(message);
  const text = `${message}\n${foldForMatching(lead.company ?? '')}`;
  const d = enrichment.domain;
  const domains = [d.email_domain, d.registrable_domain].filter((x): x is string => x !== null);
  const industryText = [text, enrichment.company?.industry ?? '', enrichment.company?.description ?? ''].join('\n');
  const lexiconBuying = scan(LISTS.buying, body);
  const fit = phrases(body, policy.icp.fit_indicators);
  // A lexicon pattern and a policy phrase with the same text ("demo") are one signal, as they always were.
  const buying = [...new Map([...lexiconBuying, ...fit].map((h) => [h.source, h.said])).values()];
  const links = credentialLinks(message, policy.company.domains);
  return {
    words: wordCount(message),
    spam: [...distinctHits(LISTS.spam, text), ...links],
    pitchQuotes: quotes(LISTS.pitch, text),
    phishingQuotes: [...quotes(LISTS.phishing, text), ...links],
    buying,
    strongBuying: lexiconBuying.filter((h) => !WEAK_BUYING.has(h.source)).map((h) => h.said),
    // A link's path ("…/login", "…/error") is no customer's words.
    support: hits(LISTS.support, body.replace(LINK, ' ')),
    research: hits(LISTS.research, `${body}\n${foldForMatching(lead.company ?? '')}`),
    job: hits(LISTS.job, body),
    notBuying: hits(LISTS.notBuying, body),
    products: phrases(body, policy.company.products).map((h) => h.said),
    injection: injectionSignals(text).length > 0,
    fit: fit.map((h) => h.said),
    disqualifiers: phrases(text, policy.icp.disqualifiers).map((h) => h.said),
    highValue: phrases(text, policy.icp.high_value_indicators).map((h) => h.said),
    ...headcount(message, enrichment),
    peopleCounted: PEOPLE_COUNT_RE.test(message),
    industries: phrases(industryText, policy.icp.industries).map((h) => h.said),
    gibberish: isGibberish(message),
    competitor: domains.some((x) => policy.icp.competitor_domains.includes(x)),
    competitiveIntel: quotes(LISTS.competitiveIntel, `${message}\n${foldForMatching(lead.company ?? '')}`),
    academicDomain: domains.some((x) => /(^|\.)(edu|ac\.[a-z]{2}|edu\.[a-z]{2})$/.test(x) || /^uni[-.a-z]/.test(x)) || /^students?\./.test(d.email_domain),
  };
}
