import type { Classification } from '../core/classification.ts';
import type { RuleHit } from '../core/decision.ts';
import { classifyFromSignals } from '../classify/offline/classify.ts';
import { readSignals } from '../classify/offline/signals.ts';
import type { DecideInput } from '../pipeline/stages.ts';
import type { AutoAction } from './rules/aliases.ts';
import type { Proposal } from './rules/types.ts';

export type EvidenceKind = 'spam' | 'pitch' | 'phishing' | 'competitor' | 'known_contact' | 'customer';
export interface Evidence { kind: EvidenceKind; detail: string }

/** The deterministic key: the embedded classifier's reading of the lead and the evidence beside it. */
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
}

/**
 * Evidence that no model's word can overrule for an automatic route. A look-alike sender is not here: the
 * `lookalike_domain` rule holds every automatic action for it before the keys are asked.
 */
const AGAINST_ROUTING: ReadonlySet<EvidenceKind> = new Set(['spam', 'pitch', 'phishing', 'competitor']);

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
  const h = enrichment.crm_history;
  if (h?.existing_customer) evidence.push({ kind: 'customer', detail: 'existing customer in the CRM' });
  else if (h?.contact_exists) evidence.push({ kind: 'known_contact', detail: 'known contact in the CRM' });
  return { classification, evidence, spamEvidence, buyingEvidence: s.buying.length + s.products.length, explicitBuying: s.notBuying.length ? 0 : s.strongBuying.length + s.products.length };
}

export function describeReading(r: RulesReading): string {
  const c = r.classification;
  const against = r.evidence.filter((e) => e.kind !== 'spam').map((e) => e.detail);
  return [`${c.intent} ${c.confidence.toFixed(2)}`, ...against].join('; ');
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

/** Spam evidence weak enough to share with real people ("we build", "your website") needs company to reject on. */
const REJECT_EVIDENCE = 2;

/**
 * An automatic action needs both keys. A reject needs the rules to see spam too (their verdict, or several pieces
 * of spam evidence in a message they cannot otherwise read) and never lands on a known contact or customer. A route needs
 * the rules to read the queue (a buyer for sales; see `readsSupport` for support), and is held when they
 * find spam, a pitch, phishing or a competitor (a look-alike is held by its own rule).
 */
export function checkTwoKeys(proposed: AutoAction | null, p: Proposal, r: RulesReading): KeysVerdict {
  const readings = { model: describeModel(p), rules: describeReading(r) };
  const both = `model: ${readings.model}; rules: ${readings.rules}`;
  const hits: RuleHit[] = [];
  const rulesIntent = r.classification.intent;
  if (proposed === 'auto_reject_spam') {
    const known = r.evidence.find((e) => e.kind === 'customer' || e.kind === 'known_contact');
    // A contested buyer reading (confidence under the floor) is what an advance-fee scam's "we want to purchase" gets.
    const weakReading = rulesIntent === 'unclear' || (rulesIntent === 'buying' && r.classification.confidence < 0.75);
    const rulesSeeSpam = rulesIntent === 'spam' || (r.spamEvidence >= REJECT_EVIDENCE && weakReading);
    if (known) hits.push({ rule: 'never_reject_known', reason: `${known.detail}: never rejected automatically (${both})` });
    else if (!rulesSeeSpam) hits.push({ rule: 'keys_disagree_reject', reason: both });
  } else if (proposed === 'auto_route_sales' || proposed === 'auto_route_support') {
    const reads = proposed === 'auto_route_sales' ? rulesIntent === 'buying' : readsSupport(r);
    if (r.evidence.some((e) => AGAINST_ROUTING.has(e.kind)) || contested(r) || !reads) hits.push({ rule: 'keys_disagree_route', reason: both });
  }
  return { hits, review: hits.length > 0, readings };
}
