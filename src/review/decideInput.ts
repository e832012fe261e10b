import type { ClassifierResult } from '../core/classification.ts';
import type { HumanInput } from '../core/decision.ts';
import type { Enrichment } from '../core/enrichment.ts';
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

const EMPTY_ENRICHMENT: Enrichment = {
  domain: { email_domain: '', registrable_domain: null, public_suffix: null, is_free_mail: false, is_disposable: false, is_role_address: false, suggested_domain: null },
  crm_history: null,
  company: null,
  degraded: [{ step: 'enrichment', reason: 'not_stored' }],
};

const NO_CLASSIFICATION: ClassifierResult = {
  classification: null, classifier: 'offline', model: null, prompt_version: 'none',
  usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  cost_usd: 0, latency_ms: 0, attempts: 0, failure: 'not_stored', fallback_reason: null,
};

/** Rebuilds what decide() saw from the stored decision and lead, plus the human's input. */
export function rebuildDecideInput(stored: StoredDecision, lead: LeadRecord, loaded: LoadedPolicy, killSwitch: boolean, human: HumanInput): DecideInput {
  return {
    lead: lead.lead,
    enrichment: stored.enrichment ?? { ...EMPTY_ENRICHMENT, domain: { ...EMPTY_ENRICHMENT.domain, email_domain: lead.lead.email.split('@')[1] ?? '' } },
    classification: stored.classification ?? NO_CLASSIFICATION,
    policy: loaded.policy,
    policyHash: loaded.hash,
    precheck: HUMAN_RESOLVED_PRECHECK,
    killSwitch,
    human,
  };
}
