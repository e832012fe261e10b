import type { Classification, Intent } from '../core/classification.ts';
import type { RuleHit } from '../core/decision.ts';
import { classifyFromSignals } from '../classify/offline/classify.ts';
import { readSignals } from '../classify/offline/signals.ts';
import { readLearned, type LearnedReading } from '../classify/learned/index.ts';
import { messageLanguage } from '../classify/language.ts';
import type { DecideInput } from '../pipeline/stages.ts';
import type { AutoAction } from './rules/aliases.ts';
import type { Proposal } from './rules/types.ts';

export type EvidenceKind = 'spam' | 'pitch' | 'phishing' | 'competitor' | 'known_contact' | 'customer';
export interface Evidence { kind: EvidenceKind; detail: string }

/**
 * The deterministic key: two readers and the evidence beside them. The lexicon (the embedded classifier, its quotes
 * and counts) says why; the learned reader (naive Bayes over labelled leads) reads what no list names. Neither sees
 * what the model said.
 */
export interface RulesReading {
  classification: Classification;
  evidence: Evidence[];
  /**
   * Spam-list, pitch and phishing patterns matched, gibberish and a disposable address, counted; a phishing or scam
   * pattern (gift cards for the CEO, an overdue invoice behind a link) twice, since no real lead writes one.
   */
  spamEvidence: number;
  /** Buying words and product names in the message ("seats", "pricing"), counted. */
  buyingEvidence: number;
  /** The part of it that asks for the product outright, not the words pitches share with buyers ("cost", "purchase"). */
  explicitBuying: number;
  /** The learned reader on the message alone. */
  learned: LearnedReading;
  /** The message's language (ISO 639-1, 'und' when it cannot be told): see `learnedVouches`. */
  language: string;
}

/**
 * Whether the learned reader may vouch for a queue: only in English (or a message too short to tell). It has read few
 * messages in each other language, mostly buyers', so there it partly reads the language as intent (pitches in
 * Portuguese, Japanese and Swedish came through as buyers). In any language it may object.
 */
const learnedVouches = (r: RulesReading): boolean => r.language === 'en' || r.language === 'und';

/** Evidence that no reading outweighs for an automatic route. A look-alike sender is held by its own rule first. */
const HOLDS_ROUTE: ReadonlySet<EvidenceKind> = new Set(['phishing', 'competitor']);
/** The lexicon's words, which buyers share with pitches: they hold a route unless the learned reader firmly reads its queue. */
const HOLDS_ROUTE_UNLESS_LEARNED: ReadonlySet<EvidenceKind> = new Set(['spam', 'pitch']);

/**
 * The learned reader's log2 odds (naive Bayes odds grow with a message's length, so these are not probabilities):
 * from SAYS it says an intent; from SURE it reads a queue alone; from FIRM (a million to one) it outweighs a word of the
 * lexicon ("our team can", "we build") and rejects alone. Chosen by leave-one-set-out cross-validation
 * (`npm run train-key -- --cv`).
 */
const LEARNED_SAYS = 0;
const LEARNED_SURE = 10;
const LEARNED_FIRM = 20;

const quote = (qs: readonly string[]): string => qs.slice(0, 3).map((q) => `'${q}'`).join(', ');

export function rulesReading(input: DecideInput): RulesReading {
  const { lead, enrichment, policy } = input;
  const s = readSignals(lead, enrichment, policy);
  const classification = classifyFromSignals(s, enrichment, policy);
  const evidence: Evidence[] = [];
  const spamEvidence = s.spam.length + s.phishingQuotes.length + (s.gibberish ? 1 : 0) + (enrichment.domain.is_disposable ? 1 : 0);
  // One weak spam word ("we sell", "your website") is shared with buyers describing themselves; two are not.
  if (classification.intent === 'spam' || spamEvidence >= 2) evidence.push({ kind: 'spam', detail: `spam evidence (${spamEvidence})` });
  if (s.pitchQuotes.length) evidence.push({ kind: 'pitch', detail: `vendor pitch — ${quote(s.pitchQuotes)}` });
  if (s.phishingQuotes.length) evidence.push({ kind: 'phishing', detail: `phishing or scam — ${quote(s.phishingQuotes)}` });
  if (s.competitor) evidence.push({ kind: 'competitor', detail: `competitor domain ${enrichment.domain.email_domain}` });
  else if (s.competitiveIntel.length) evidence.push({ kind: 'competitor', detail: `studies competitors — ${quote(s.competitiveIntel)}` });
  const learned = readLearned(lead.message);
  const h = enrichment.crm_history;
  if (h?.existing_customer) evidence.push({ kind: 'customer', detail: 'existing customer in the CRM' });
  else if (h?.contact_exists) evidence.push({ kind: 'known_contact', detail: 'known contact in the CRM' });
  return { classification, evidence, spamEvidence, buyingEvidence: s.buying.length + s.products.length, explicitBuying: s.notBuying.length ? 0 : s.strongBuying.length + s.products.length, learned, language: messageLanguage(lead.message) };
}

export function describeReading(r: RulesReading): string {
  const c = r.classification;
  const against = r.evidence.filter((e) => e.kind !== 'spam').map((e) => e.detail);
  const l = r.learned.intent;
  const likeliest = l ? `${l} ${r.learned.p[l].toFixed(2)}` : '';
  const said = !l ? 'learned: no word it knows' : r.learned.odds[l] >= LEARNED_SAYS ? `learned: ${likeliest}` : `learned: unsure, ${likeliest}`;
  const learned = l && !learnedVouches(r) ? `${said}, objects only in ${r.language}` : said;
  return [`${c.intent} ${c.confidence.toFixed(2)}`, learned, ...against].join('; ');
}

const describeModel = (p: Proposal): string => `${p.intent} ${p.confidence.toFixed(2)}`;

export interface KeysVerdict {
  hits: RuleHit[];
  /** True when the two keys disagree about an automatic action: a human decides, with both readings. */
  review: boolean;
  readings: { model: string; rules: string };
}

/** A reading the embedded classifier would not act on itself (under the policy's usual floor). */
const FIRM_READING = 0.75;

/**
 * One spam word is shared with real people ("we build", "your website"), but not beside a reading the rules are unsure
 * of that rests on nothing a pitch or scam does not also say: a support reading under the floor ("invoice … within 48
 * hours"), or a buyer reading with no explicit request in it ("is available for purchase", "guaranteed … team").
 */
function contested(r: RulesReading): boolean {
  const c = r.classification;
  if (r.spamEvidence === 0 || c.confidence >= FIRM_READING) return false;
  return c.intent !== 'buying' || r.explicitBuying === 0;
}

/**
 * Whether the rules read the support queue: a customer's problem, or a buyer (billing and seat questions are both),
 * since support is where a person who already pays us is looked after. A message the rules cannot read ("your
 * tracking broke AGAIN") from a customer the CRM knows, with nothing of a buyer ("more seats") or of spam in it, is
 * that customer's problem too.
 */
function readsSupport(r: RulesReading): boolean {
  const intent = r.classification.intent;
  if (intent === 'support' || intent === 'buying') return true;
  const customer = r.evidence.some((e) => e.kind === 'customer');
  return intent === 'unclear' && customer && r.spamEvidence === 0 && r.buyingEvidence === 0;
}

/** The learned reader reads `intent` likeliest, and says so (odds from SAYS). */
const learnedSays = (r: RulesReading, intent: Intent): boolean => r.learned.intent === intent && r.learned.odds[intent] >= LEARNED_SAYS;

/** The lexicon reads one of `intents` with confidence and found no spam word. */
const lexiconFirmlyReads = (r: RulesReading, ...intents: Intent[]): boolean =>
  intents.includes(r.classification.intent) && r.classification.confidence >= FIRM_READING && r.spamEvidence === 0;

/** Spam evidence weak enough to share with real people ("we build", "your website") needs company to reject on. */
const REJECT_EVIDENCE = 2;
/** The lexicon's spam verdicts start here; under it ("weak spam signals", "too short, spam-like") one word can be all. */
const SPAM_VERDICT = 0.7;

/**
 * Whether the deterministic layer sees spam, for a reject. Either reader may see it when the other does not read a
 * lead: the learned reader when it says spam with some lexicon evidence or alone and firm (a misdirected "please find
 * attached the signed lease … once the deposit has cleared" reads like an invoice scam at 2^16 to 1), unless the
 * lexicon firmly reads a buyer or a support request with no spam word; the lexicon (its verdict, not a weak reading
 * resting on a job seeker's "dear sir/madam", or several pieces of spam evidence in a message it otherwise reads weakly
 * or not at all, as a Thai login-harvest link) unless the learned reader reads a person: a buyer, support, research,
 * or what no queue acts on (a job seeker, a message meant for someone else), which is never spam either. The learned
 * reader never rejects on its own against the lexicon: it has seen few messages in some languages, and a buyer writing
 * in one may look like the spam it did see.
 */
function seesSpam(r: RulesReading): boolean {
  const c = r.classification;
  const { odds } = r.learned;
  // A contested buyer reading (confidence under the floor) is what an advance-fee scam's "we want to purchase" gets.
  const weakReading = c.intent === 'unclear' || c.intent === 'spam' || (c.intent === 'buying' && c.confidence < FIRM_READING);
  const lexiconSeesSpam = (c.intent === 'spam' && c.confidence >= SPAM_VERDICT) || (r.spamEvidence >= REJECT_EVIDENCE && weakReading);
  const lexiconReadsLead = lexiconFirmlyReads(r, 'buying', 'support');
  // Outside English it sees spam only beside the lexicon's spam words: it read a Romanian buyer and a Taiwanese
  // student as spam at 2^29 and 2^26 to 1, having read few messages in either language.
  const learnedSeesSpam = learnedSays(r, 'spam') && (r.spamEvidence > 0 || (odds.spam >= LEARNED_FIRM && learnedVouches(r)));
  const learnedReadsLead = odds.buying >= LEARNED_SAYS || odds.support >= LEARNED_SAYS || odds.researching >= LEARNED_SAYS || odds.unclear >= LEARNED_SAYS;
  return (learnedSeesSpam && !lexiconReadsLead) || (lexiconSeesSpam && !learnedReadsLead);
}

/**
 * Whether the deterministic layer holds a route to the queue that reads `target`. It needs a reader to read the
 * queue (the lexicon, see `readsSupport` for support, or the learned reader sure of it), and holds for phishing or a
 * competitor; for the lexicon's spam verdict; for the learned reader reading spam likeliest, unless the lexicon firmly
 * reads the queue and the learned reader is not sure (one-against-the-rest odds: a Chinese buyer reads buying at 2^109
 * and spam at 2^17, since the sets hold Chinese spam too); and for the lexicon's spam and pitch words or a contested
 * reading, unless the learned reader firmly reads the queue in English.
 */
function holdsRoute(r: RulesReading, target: 'buying' | 'support'): boolean {
  const c = r.classification;
  const { odds } = r.learned;
  // Alone, the learned reader reads the sales queue only where the lexicon finds a buyer's word too.
  const learnedReads = learnedVouches(r) && odds[target] >= LEARNED_SURE && (target === 'support' || r.buyingEvidence > 0);
  const reads = (target === 'buying' ? c.intent === 'buying' : readsSupport(r)) || learnedReads;
  const lexiconFirm = lexiconFirmlyReads(r, target);
  const learnedSpam = learnedSays(r, 'spam') && (odds.spam >= LEARNED_SURE || !lexiconFirm);
  const lexiconDoubts = r.evidence.some((e) => HOLDS_ROUTE_UNLESS_LEARNED.has(e.kind)) || contested(r);
  // The lexicon reading the whole message as spam is a verdict, not a word: no reading outweighs it.
  const lexiconSpam = c.intent === 'spam';
  return !reads || learnedSpam || lexiconSpam || r.evidence.some((e) => HOLDS_ROUTE.has(e.kind)) || (lexiconDoubts && !(learnedVouches(r) && odds[target] >= LEARNED_FIRM));
}

/**
 * An automatic action needs both keys: a reject needs the deterministic layer to see spam too and never lands on a
 * known contact or customer; a route needs it to read the queue and find nothing against it (a look-alike sender is
 * held by its own rule).
 */
export function checkTwoKeys(proposed: AutoAction | null, p: Proposal, r: RulesReading): KeysVerdict {
  const readings = { model: describeModel(p), rules: describeReading(r) };
  const both = `model: ${readings.model}; rules: ${readings.rules}`;
  const hits: RuleHit[] = [];
  if (proposed === 'auto_reject_spam') {
    const known = r.evidence.find((e) => e.kind === 'customer' || e.kind === 'known_contact');
    if (known) hits.push({ rule: 'never_reject_known', reason: `${known.detail}: never rejected automatically (${both})` });
    else if (!seesSpam(r)) hits.push({ rule: 'keys_disagree_reject', reason: both });
  } else if (proposed === 'auto_route_sales' || proposed === 'auto_route_support') {
    if (holdsRoute(r, proposed === 'auto_route_sales' ? 'buying' : 'support')) hits.push({ rule: 'keys_disagree_route', reason: both });
  }
  return { hits, review: hits.length > 0, readings };
}
