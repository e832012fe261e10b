import { ClassifierResultSchema } from '../core/classification.ts';
import { withinBudget } from '../classify/budget.ts';
import { EnrichmentSchema, type Enrichment } from '../core/enrichment.ts';
import { hashInput, type AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { LeadStore } from '../store/leads.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Job, JobHandler } from '../jobs/worker.ts';
import { domainFacts, domainOnlyEnrichment } from '../enrich/domain-facts.ts';
import { checkpoint } from './checkpoint.ts';
import { currentAssignment } from '../routing/ledger.ts';
import { concludeRun } from './conclude.ts';
import { isKillSwitchOn } from './kill-switch.ts';
import { precheck } from './precheck.ts';
import { storedPrecheckFacts } from './precheckFacts.ts';
import { recordShadow, runShadow } from './shadow.ts';
import { PrecheckResultSchema, type Classifier, type DecideFn, type DecideInput, type Enricher, type PrecheckResult, type RunContext } from './stages.ts';

export interface PipelineDeps {
  db: Db;
  audit: AuditLog;
  leads: LeadStore;
  policy: () => LoadedPolicy;
  enricher: Enricher;
  classifier: Classifier;
  /** Used instead of `classifier` for leads the precheck already rejected: no model spend on blocklisted senders. */
  offlineClassifier: Classifier;
  decide: DecideFn;
  /** The policy's shadow candidate (see policy/shadow.ts shadowSource): decides every new lead too, with no effects. */
  shadow?: () => LoadedPolicy | null;
  logger: Logger;
  metrics?: Metrics;
  /** Injected in tests: routing reads working hours and caps at this instant. */
  clock?: () => number;
}

/** precheck → enrich → classify → decide → act for one lead; each stage checkpointed so a crash resumes, never repeats. */
export function createLeadProcessor(deps: PipelineDeps): JobHandler {
  const { db, audit, leads, logger, metrics } = deps;

  return async function processLead(job: Job) {
    const record = leads.get(job.lead_id);
    if (!record) {
      audit.record({ lead_id: job.lead_id, correlation_id: job.correlation_id, stage: 'job', event: 'lead_missing', reason: 'no such lead' });
      return 'done';
    }
    const { policy, hash: policyHash } = deps.policy();
    const base = { lead_id: record.id, correlation_id: record.correlation_id };
    if (isKillSwitchOn(db, policy)) {
      leads.setStatusIfUndecided(record.id, 'parked');
      audit.record({ ...base, stage: 'precheck', event: 'parked', decision: 'hold', reason: 'kill switch is on', policy_hash: policyHash });
      return 'parked';
    }
    leads.setStatusIfUndecided(record.id, 'processing');
    const ctx: RunContext = base;
    const lead = record.lead;
    const timed = <T>(stage: string, fn: () => Promise<T>) => {
      const end = metrics?.stageLatency.startTimer({ stage });
      return fn().finally(() => end?.());
    };

    const pre = await timed('precheck', () =>
      checkpoint(db, audit, job, 'precheck', PrecheckResultSchema, () => precheck(storedPrecheckFacts(leads, record, domainFacts(lead.email), policy), policy), (out: PrecheckResult) => [{ ...base, event: 'precheck', decision: out.verdict, rules: out.rules.map((r) => r.rule), reason: out.rules.map((r) => r.reason).join('; ') || null, output: out, policy_hash: policyHash }]),
    );

    const rejected = pre.verdict === 'reject';
    const enrichment: Enrichment = await timed('enrich', () =>
      checkpoint(db, audit, job, 'enrich', EnrichmentSchema, () =>
        rejected
          ? domainOnlyEnrichment(lead.email, [{ step: 'all', reason: 'skipped: precheck rejected the lead' }])
          : deps.enricher.enrich(lead, ctx),
      (out, latency) => [
        { ...base, event: 'enriched', output: { company: out.company, crm_history: out.crm_history, domain: out.domain }, latency_ms: latency },
        ...out.degraded.map((d) => ({ ...base, event: 'lookup_degraded', reason: `${d.step}: ${d.reason}` })),
      ]),
    );

    const classifier = rejected ? deps.offlineClassifier : withinBudget(deps.classifier, deps.offlineClassifier, { db, audit, policy });
    const classification = await timed('classify', () =>
      checkpoint(db, audit, job, 'classify', ClassifierResultSchema, () => classifier.classify({ lead, enrichment, policy }, ctx), (out) => {
        metrics?.classifierCost.inc({ classifier: out.classifier, model: out.model ?? 'none' }, out.cost_usd);
        const rows = [out, ...(out.second_opinion ? [out.second_opinion] : [])];
        return rows.map((r, i) => ({
          ...base,
          event: i === 0 ? 'classified' : 'second_opinion',
          actor: r.classifier,
          input_hash: hashInput({ lead, enrichment }),
          output: r.classification ?? { failure: r.failure },
          // Running without a key is a mode chosen by configuration, not a fallback from a failure.
          reason: [r.failure, r.fallback_reason === 'no_api_key' ? 'embedded offline classifier (no ANTHROPIC_API_KEY set)' : r.fallback_reason && `fallback: ${r.fallback_reason}`].filter(Boolean).join('; ') || null,
          prompt_version: r.prompt_version,
          latency_ms: r.latency_ms,
          tokens_in: r.usage.input_tokens,
          tokens_out: r.usage.output_tokens,
          cache_read_tokens: r.usage.cache_read_input_tokens,
          cache_write_tokens: r.usage.cache_creation_input_tokens,
          cost_usd: r.cost_usd,
          policy_hash: policyHash,
        }));
      }),
    );

    const input: DecideInput = { lead, enrichment, classification, policy, policyHash, precheck: pre, killSwitch: isKillSwitchOn(db, policy) };
    const decision = deps.decide(input);
    const now = deps.clock?.() ?? Date.now();
    const shadow = deps.shadow?.() ?? null;
    const shadowRun = shadow ? runShadow(shadow, deps.decide, input) : null;
    // The shadow's row joins the real decision's transaction; recordShadow never throws, so it cannot undo the lead's.
    const concluded = db.transaction(() => {
      const c = concludeRun(db, audit, job, { ...base, decision, classification, enrichment, routing: { policy, lead, now } });
      if (shadowRun && c.kind === 'committed' && c.created) recordShadow(db, audit, logger, { ...base, decision_id: c.decision_id, decision, run: shadowRun, now });
      return c;
    })();
    if (concluded.kind === 'committed' && concluded.created) metrics?.decisions.inc({ final_action: decision.final_action });
    // One line per decision at info: what happened to the lead, who owns it, and how long it took from arrival.
    logger.info({
      ...base, final_action: decision.final_action, route: decision.route, owner: currentAssignment(db, record.id)?.user_id ?? null,
      concluded: concluded.kind, latency_ms: Math.max(0, Date.now() - Date.parse(record.created_at)),
    }, 'lead decided');
    return 'done';
  };
}
