import { ZERO_USAGE, type ClassifierResult } from '../core/classification.ts';
import type { HumanInput } from '../core/decision.ts';
import { domainOnlyEnrichment } from '../enrich/domain-facts.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import type { DecideInput, PrecheckResult } from '../pipeline/stages.ts';
import type { LeadRecord } from '../store/leads.ts';
import type { StoredDecision } from '../store/decisions.ts';

/**
 * The precheck result is not stored on its own. A human resolving a review has, by clicking,
 * judged whatever the precheck held the lead for (rate limit, hold), so the re-decision runs
 * with `continue` and the original rules stay on the earlier decision version for the audit.
 */
const HUMAN_RESOLVED_PRECHECK: PrecheckResult = { verdict: 'continue', rules: [] };

const NO_CLASSIFICATION: ClassifierResult = {
  classification: null, classifier: 'offline', model: null, prompt_version: 'none',
  usage: ZERO_USAGE,
  cost_usd: 0, latency_ms: 0, attempts: 0, failure: 'not_stored', fallback_reason: null,
};

/** Rebuilds what decide() saw from the stored decision and lead, plus the human's input. */
export function rebuildDecideInput(stored: StoredDecision, lead: LeadRecord, loaded: LoadedPolicy, killSwitch: boolean, human: HumanInput): DecideInput {
  return {
    lead: lead.lead,
    enrichment: stored.enrichment ?? domainOnlyEnrichment(lead.lead.email, [{ step: 'enrichment', reason: 'not_stored' }]),
    classification: stored.classification ?? NO_CLASSIFICATION,
    policy: loaded.policy,
    policyHash: loaded.hash,
    precheck: HUMAN_RESOLVED_PRECHECK,
    killSwitch,
    human,
  };
}
