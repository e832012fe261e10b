import type { Intent } from '../core/classification.ts';
import type { FinalAction, HumanInput } from '../core/decision.ts';
import type { Enrichment } from '../core/enrichment.ts';
import type { Db } from '../store/db.ts';
import { toStored, type DecisionRow, type StoredDecision } from '../store/decisions.ts';
import { LeadStore } from '../store/leads.ts';
import type { EvalFacts } from './dataset.ts';
import type { CaseLead, Redactor } from './redact.ts';

/** One line of an exported set: the eval line format (data/eval/README.md) plus `note` and `review`, which the harness ignores. */
export interface ReviewCase {
  id: string;
  lead: CaseLead;
  facts?: EvalFacts;
  expected: {
    intent: Intent;
    final_action: FinalAction;
    route?: 'sales' | 'support' | 'founder';
    priority?: 'high' | 'medium' | 'low';
    acceptable_actions: FinalAction[];
    must_not: FinalAction[];
  };
  /** The reviewer's reason, as written (redacted with the lead). */
  note: string | null;
  review: { decision_id: string; kind: 'edit' | 'reject'; resolved_at: string | null; by?: string };
}

const AUTOMATIC: readonly FinalAction[] = ['auto_route_sales', 'auto_route_support', 'auto_reject_spam'];
const ROUTES: readonly FinalAction[] = ['auto_route_sales', 'auto_route_support'];
// A reason that calls the lead spam (or a scam, phishing, junk) and does not deny it.
const SAYS_SPAM = /\b(spam\w*|scam\w*|phish\w*|junk|gibberish)\b/i;
const DENIES_SPAM = /\b(not|no|isn'?t|wasn'?t)\s+(a\s+|really\s+)?(spam|scam)/i;

export const saysSpam = (reason: string | null): boolean => !!reason && SAYS_SPAM.test(reason) && !DENIES_SPAM.test(reason);

/** What the machine read, for the fields a person left alone: the judged classification, the decision's route and priority. */
function machineReading(s: StoredDecision) {
  const c = s.classification?.second_opinion?.classification ?? s.classification?.classification ?? null;
  return { intent: c?.intent ?? null, route: s.decision.route ?? c?.assigned_to ?? null, priority: s.decision.priority };
}

const isKnown = (e: Enrichment | null) => e?.crm_history?.contact_exists === true || e?.crm_history?.existing_customer === true;

/**
 * The label a review stands for. Edit: the person's intent, route and priority (the machine's where they left one
 * alone) → the route's automatic action, or spam's reject when they set spam and no route; human_review is also
 * accepted (the policy may have had a reason to ask), every other automatic action is what they corrected (must_not).
 * Reject: "not a lead we want", which is spam only when the reviewer said so (intent spam or a reason that says
 * spam/scam/phishing/junk) → auto_reject_spam (review accepted); otherwise human_review, never routed, and never
 * auto-rejected unless its intent is spam. A known contact or customer is never expected to be auto-rejected.
 */
export function expectedFor(s: StoredDecision, human: HumanInput): ReviewCase['expected'] {
  const m = machineReading(s);
  const o = human.override ?? {};
  const known = isKnown(s.enrichment);
  if (human.kind === 'edit') {
    const intent = o.intent ?? m.intent ?? 'unclear';
    // Setting spam without picking a route means "do not route it", whatever the machine's route was.
    const route = o.route ?? (o.intent === 'spam' ? null : m.route);
    const wanted: FinalAction = route === 'support' ? 'auto_route_support' : route ? 'auto_route_sales' : intent === 'spam' ? 'auto_reject_spam' : 'human_review';
    const final: FinalAction = wanted === 'auto_reject_spam' && known ? 'human_review' : wanted;
    return {
      intent, final_action: final, ...(route ? { route } : {}), priority: o.priority ?? m.priority,
      acceptable_actions: [...new Set<FinalAction>([final, 'human_review'])],
      must_not: AUTOMATIC.filter((a) => a !== final),
    };
  }
  const spam = o.intent === 'spam' || saysSpam(human.reason);
  const readAs = m.intent === 'spam' || m.intent === 'researching' || m.intent === 'unclear' ? m.intent : 'unclear';
  const intent: Intent = spam ? 'spam' : (o.intent ?? readAs);
  const final: FinalAction = spam && !known ? 'auto_reject_spam' : 'human_review';
  return {
    intent, final_action: final,
    acceptable_actions: [...new Set<FinalAction>([final, 'human_review'])],
    must_not: intent === 'spam' && !known ? [...ROUTES] : [...AUTOMATIC],
  };
}

function factsOf(e: Enrichment | null): EvalFacts | undefined {
  if (!e) return undefined;
  const f: EvalFacts = {};
  if (e.company?.employee_count != null) f.employees = e.company.employee_count;
  if (e.company?.industry) f.industry = e.company.industry;
  if (e.company?.country) f.country = e.company.country;
  if (e.crm_history) {
    f.known_contact = e.crm_history.contact_exists;
    f.customer = e.crm_history.existing_customer;
  }
  return Object.keys(f).length ? f : undefined;
}

export interface ExportOptions {
  /** Only reviews resolved at or after this instant (ISO). */
  since?: string | null;
  redactor?: Redactor | null;
}

export interface ExportResult {
  cases: ReviewCase[];
  /** Reviews that could not be exported (their lead or decision no longer reads back), with why. */
  skipped: Array<{ decision_id: string; why: string }>;
}

/** Every Edit and Reject a person made in review, oldest first, as eval cases. Reads only. */
export function exportReviewCases(db: Db, opts: ExportOptions = {}): ExportResult {
  const rows = db.prepare(`SELECT * FROM decisions WHERE status IN ('approved', 'rejected') AND human_json IS NOT NULL
      AND json_extract(human_json, '$.kind') IN ('edit', 'reject') AND (? IS NULL OR resolved_at >= ?)
      ORDER BY resolved_at, id`).all(opts.since ?? null, opts.since ?? null) as DecisionRow[];
  const leads = new LeadStore(db);
  const cases: ReviewCase[] = [];
  const skipped: ExportResult['skipped'] = [];
  const ids = new Set<string>();
  for (const row of rows) {
    let stored: StoredDecision;
    try {
      stored = toStored(row);
    } catch {
      skipped.push({ decision_id: row.id, why: 'its stored decision does not read back' });
      continue;
    }
    const human = stored.human;
    const record = (() => { try { return leads.get(row.lead_id); } catch { return null; } })();
    if (!human || (human.kind !== 'edit' && human.kind !== 'reject')) { skipped.push({ decision_id: row.id, why: 'no edit or reject on it' }); continue; }
    if (!record) { skipped.push({ decision_id: row.id, why: `lead ${row.lead_id} does not read back` }); continue; }
    const l = record.lead;
    const raw: CaseLead = {
      ...(l.name ? { name: l.name } : {}), email: l.email, ...(l.company ? { company: l.company } : {}), ...(l.website ? { website: l.website } : {}),
      ...(l.phone ? { phone: l.phone } : {}), message: l.message, submitted_at: l.submitted_at, ...(l.submitter_ip ? { submitter_ip: l.submitter_ip } : {}), source: l.source,
    };
    const r = opts.redactor ?? null;
    const facts = factsOf(stored.enrichment);
    // Ids name the review's decision; a clash of the short form (rare) falls back to the whole id.
    const short = `review-${row.id.slice(0, 8)}`;
    const id = ids.has(short) ? `review-${row.id}` : short;
    ids.add(id);
    cases.push({
      id, lead: r ? r.lead(raw) : raw, ...(facts ? { facts } : {}), expected: expectedFor(stored, human),
      note: human.reason ? (r ? r.text(human.reason, raw) : human.reason) : null,
      review: { decision_id: row.id, kind: human.kind, resolved_at: row.resolved_at, ...(r ? {} : { by: human.user_id }) },
    });
  }
  return { cases, skipped };
}

/** The comment line an exported file starts with (the harness skips `//` lines): where it came from and how it was labelled. */
export function exportHeader(n: number, opts: { since: string | null; redacted: boolean; at: string }): string {
  return `// lead-triage eval export --from-reviews: ${n} case${n === 1 ? '' : 's'} from Edit and Reject reviews resolved ${opts.since ? `since ${opts.since}` : 'at any time'}, exported ${opts.at}${opts.redacted ? ', personal data redacted' : ''}. `
    + 'Edit: the reviewer\'s intent, route and priority are expected (human_review also accepted); Reject: auto_reject_spam only when the reviewer said spam, otherwise human_review and never routed. '
    + 'See data/eval/README.md, "Cases exported from reviews".';
}
