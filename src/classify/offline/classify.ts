import type { Classification } from '../../core/classification.ts';
import type { Enrichment } from '../../core/enrichment.ts';
import type { Policy } from '../../policy/schema.ts';
import { plainList, type Signals } from './signals.ts';
import { clipText } from '../../core/text.ts';

const round = (x: number): number => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

function fitScore(s: Signals, e: Enrichment, policy: Policy): { score: number; evidence: string[] } {
  const evidence: string[] = [];
  let score = 30;
  if (s.fit.length) {
    score += Math.min(30, s.fit.length * 10);
    evidence.push(`fit indicators: ${plainList(s.fit)}`);
  }
  const size = policy.icp.company_size;
  if (s.employees !== null) {
    const inRange = s.employees >= size.min_employees && s.employees <= size.max_employees;
    score += inRange ? 15 : -10;
    // Where the size came from: the company's facts, or the sender's own word for their whole company.
    const stated = s.employeesFrom === 'message';
    evidence.push(`${stated ? 'about ' : ''}${s.employees} employees (${stated ? 'as stated' : 'company facts'}, ${inRange ? 'within' : 'outside'} ICP ${size.min_employees}-${size.max_employees})`);
  }
  if (s.industries.length) {
    score += 10;
    evidence.push(`industry: ${plainList(s.industries)}`);
  }
  if (s.highValue.length) {
    score += 10;
    evidence.push(`high-value indicators: ${plainList(s.highValue)}`);
  }
  if (e.domain.is_free_mail) {
    score -= 10;
    evidence.push('free-mail address');
  } else evidence.push(`company domain ${e.domain.registrable_domain ?? e.domain.email_domain}`);
  if (s.disqualifiers.length) {
    score -= 30;
    evidence.push(`disqualifiers: ${plainList(s.disqualifiers)}`);
  }
  return { score: clamp(Math.round(score), 0, 100), evidence };
}

/** What made a spam verdict, in the sender's words and ours: never a pattern. */
function spamWhy(s: Signals, e: Enrichment, bareInjection: boolean): string {
  const parts = [plainList(s.spam, 5)];
  if (s.gibberish) parts.push('keyboard mash');
  if (e.domain.is_disposable) parts.push('disposable address');
  if (s.injection) parts.push(bareInjection ? 'instructions to the classifier and little else' : 'instructions to the classifier');
  return parts.filter(Boolean).join('; ') || 'seller or scam wording';
}

type Verdict = Pick<Classification, 'intent' | 'confidence' | 'recommended_action' | 'assigned_to'> & { why: string };

/**
 * Deterministic reading of the signals. Confidence is earned: only several agreeing signals and no
 * contrary ones reach the policy's floor; anything mixed or thin goes to review with a low number.
 */
function verdict(s: Signals, e: Enrichment, policy: Policy): Verdict {
  const review = (intent: Classification['intent'], confidence: number, why: string, assigned_to: Classification['assigned_to'] = null): Verdict => ({ intent, confidence, recommended_action: 'human_review', assigned_to, why });
  const buy = s.notBuying.length ? 0 : s.buying.length + s.products.length;
  const sup = s.support.length;
  // Instructions with at most a word of anything else behind them ("…your API keys") are an attack, not a lead. Weak
  // buying words do not count: the instructions themselves use them ("treat this as a qualified enterprise buyer").
  const explicitRequest = s.notBuying.length ? 0 : s.strongBuying.length + s.products.length;
  const bareInjection = s.injection && explicitRequest === 0 && sup <= 1 && s.research.length === 0;
  const spamWeight = s.spam.length + (e.domain.is_disposable ? 1.5 : 0) + (s.gibberish ? 2 : 0) + (bareInjection ? 2 : s.injection ? 1 : 0);
  // Against spam evidence, words that pitches share with buyers ("cost", "team", "buy") weigh half.
  const buyAgainstSpam = s.notBuying.length ? 0 : s.strongBuying.length + s.products.length + (s.buying.length - s.strongBuying.length) / 2;
  if (spamWeight >= 2 && spamWeight >= buyAgainstSpam + 1) {
    // Rejecting a buyer is the costly mistake: only clear, uncontested spam is rejected without a human.
    const strong = spamWeight >= buyAgainstSpam + 2;
    return { intent: 'spam', confidence: strong ? 0.9 : 0.7, recommended_action: strong ? 'auto_reject_spam' : 'human_review', assigned_to: null, why: `unsolicited pitch or scam: ${spamWhy(s, e, bareInjection)}` };
  }
  if (s.words < policy.thresholds.min_message_words) {
    if (spamWeight >= 1.5) return review('spam', 0.6, 'too short, spam-like');
    return review('unclear', 0.3, 'too short to read an intent');
  }
  if (s.job.length) return review('unclear', 0.6, `job seeker: ${plainList(s.job)}`);
  if (s.competitor) return review('researching', 0.7, 'sender works for a competitor', 'sales');
  if (s.competitiveIntel.length) return review('researching', 0.7, `sender studies competitors: ${plainList(s.competitiveIntel)}`, 'sales');
  const research = s.research.length + (s.academicDomain ? 1 : 0) + s.notBuying.length * 2;
  if (research > 0 && research >= buy && research > sup) return review('researching', 0.65, `research signals: ${plainList([...s.research, ...s.notBuying, s.academicDomain ? 'academic email domain' : ''])}`, 'sales');
  if (sup > buy && sup >= 1) {
    // Any spam evidence (an invoice scam uses support words too) keeps a human in the loop.
    const confidence = spamWeight > 0 ? 0.65 : sup >= 2 && buy === 0 ? 0.85 : sup >= buy + 2 ? 0.8 : 0.65;
    return { intent: 'support', confidence, recommended_action: confidence >= 0.75 ? 'auto_route_support' : 'human_review', assigned_to: 'support', why: `support signals: ${plainList(s.support)}` };
  }
  if (buy >= 1 && buy >= sup) {
    const corroborated = s.employees !== null || s.peopleCounted || s.industries.length > 0 || s.products.length > 0 || s.fit.length >= 2;
    // Weak words ("cost", "chat?") also fill sellers' pitches: an automatic route needs an explicit
    // request for the product, and more of it the more the message also reads like a pitch.
    const explicit = s.strongBuying.length + s.products.length;
    const contested = spamWeight >= 2 || (spamWeight > 0 && explicit < 2);
    const confidence = contested || explicit === 0 ? 0.65 : buy >= 2 && corroborated ? 0.85 : buy >= 2 || corroborated ? 0.78 : 0.65;
    return { intent: 'buying', confidence, recommended_action: confidence >= 0.75 ? 'auto_route_sales' : 'human_review', assigned_to: 'sales', why: `buying signals: ${plainList([...s.buying, ...s.products])}` };
  }
  if (spamWeight >= 1) return review('spam', 0.5, 'weak spam signals');
  return review('unclear', 0.4, 'no clear intent signals');
}

export function classifyFromSignals(s: Signals, e: Enrichment, policy: Policy): Classification {
  const v = verdict(s, e, policy);
  const fit = fitScore(s, e, policy);
  const fit_score = v.intent === 'spam' ? Math.min(fit.score, 10) : fit.score;
  const priority = v.intent === 'buying' && (fit_score >= policy.thresholds.high_value_fit_score || s.highValue.length > 0) ? 'high' : v.intent === 'buying' || v.intent === 'support' ? 'medium' : 'low';
  return {
    intent: v.intent,
    fit_score,
    fit_reasoning: clipText([v.why, ...fit.evidence].join('; '), 1500),
    confidence: round(v.confidence),
    recommended_action: v.recommended_action,
    assigned_to: v.assigned_to,
    priority,
    // Built from matched signals only: the words quoted are the few a list matched (see `said`), never free text.
    summary_for_slack: clipText(`${v.intent} (offline): ${v.why}`, 600),
  };
}
