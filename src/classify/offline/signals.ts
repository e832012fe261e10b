import type { CanonicalLead } from '../../core/lead.ts';
import type { Enrichment } from '../../core/enrichment.ts';
import type { Policy } from '../../policy/schema.ts';
import { matchPhrases, wordCount } from '../../policy/rules/text.ts';
import { BUYING, JOB_SEEKING, NOT_BUYING, ORG_SIZE, PHISHING, PITCH, RESEARCH, SPAM, SUPPORT, WEAK_BUYING } from './lexicon.ts';
import { injectionSignals } from '../../policy/rules/text.ts';
import { clipText, foldForMatching } from '../../core/text.ts';

export interface Signals {
  words: number;
  /** Spam, pitch and phishing patterns (their sources): the weight of the spam verdict. */
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
  employees: number | null;
  industries: string[];
  gibberish: boolean;
  competitor: boolean;
  academicDomain: boolean;
}

function compile(sources: readonly string[]): { source: string; re: RegExp }[] {
  // Unspaced scripts (CJK) have no word boundaries to anchor on.
  return sources.map((s) => ({ source: s, re: /\p{Script=Han}|\p{Script=Katakana}|\p{Script=Hiragana}/u.test(s) ? new RegExp(s, 'iu') : new RegExp(`(?<![\\p{L}\\p{N}])(${s})(?![\\p{L}\\p{N}])`, 'iu') }));
}
const LISTS = {
  spam: compile([...SPAM, ...PITCH, ...PHISHING]), pitch: compile(PITCH), phishing: compile(PHISHING), buying: compile(BUYING), support: compile(SUPPORT),
  research: compile(RESEARCH), job: compile(JOB_SEEKING), notBuying: compile(NOT_BUYING),
};
const hits = (list: { source: string; re: RegExp }[], text: string): string[] => list.filter((x) => x.re.test(text)).map((x) => x.source);
const quotes = (list: { source: string; re: RegExp }[], text: string): string[] =>
  [...new Set(list.map((x) => x.re.exec(text)?.[0]?.replace(/\s+/g, ' ').trim()).filter((q): q is string => Boolean(q)).map((q) => clipText(q, 40)))];

/** Keyboard mash: Latin tokens with no vowel or long consonant runs ("hjkdfshjk fdsjkl"). */
function isGibberish(message: string): boolean {
  // Mojibake (UTF-8 read as Latin-1: "Ð´ÐµÐ½Ñ") is what bulk senders' broken encoders produce, never a person.
  if ((message.match(/[ÃÂÐÑ][\u0080-\u00bf]/g)?.length ?? 0) >= 5) return true;
  const tokens = message.toLowerCase().match(/[a-z]{4,}/g) ?? [];
  if (tokens.length === 0) return false;
  const odd = tokens.filter((t) => !/[aeiouy]/.test(t) || /[^aeiouy]{5,}/.test(t)).length;
  return odd / tokens.length >= 0.5;
}

function employeesFrom(text: string): number | null {
  const m = new RegExp(ORG_SIZE, 'iu').exec(text);
  if (!m?.[1]) return null;
  const n = Number(m[1].replace(/[,.](?=\d{3}\b)/g, ''));
  return Number.isFinite(n) ? n : null;
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
  const text = `${message}\n${foldForMatching(lead.company ?? '')}`;
  const d = enrichment.domain;
  const domains = [d.email_domain, d.registrable_domain].filter((x): x is string => x !== null);
  const industryText = [text, enrichment.company?.industry ?? '', enrichment.company?.description ?? ''].join('\n');
  const lexiconBuying = hits(LISTS.buying, message);
  return {
    words: wordCount(message),
    spam: hits(LISTS.spam, text),
    pitchQuotes: quotes(LISTS.pitch, text),
    phishingQuotes: quotes(LISTS.phishing, text),
    buying: [...new Set([...lexiconBuying, ...matchPhrases(message, policy.icp.fit_indicators)])],
    strongBuying: lexiconBuying.filter((w) => !WEAK_BUYING.has(w)),
    support: hits(LISTS.support, message),
    research: hits(LISTS.research, text),
    job: hits(LISTS.job, message),
    notBuying: hits(LISTS.notBuying, message),
    products: matchPhrases(message, policy.company.products),
    injection: injectionSignals(text).length > 0,
    fit: matchPhrases(message, policy.icp.fit_indicators),
    disqualifiers: matchPhrases(text, policy.icp.disqualifiers),
    highValue: matchPhrases(text, policy.icp.high_value_indicators),
    employees: enrichment.company?.employee_count ?? employeesFrom(message),
    industries: matchPhrases(industryText, policy.icp.industries),
    gibberish: isGibberish(message),
    competitor: domains.some((x) => policy.icp.competitor_domains.includes(x)),
    academicDomain: domains.some((x) => /(^|\.)(edu|ac\.[a-z]{2}|edu\.[a-z]{2})$/.test(x) || /^uni[-.a-z]/.test(x)) || /^students?\./.test(d.email_domain),
  };
}
