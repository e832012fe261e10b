import { randomUUID } from 'node:crypto';
import type { ClassifierResult } from '../../core/classification.ts';
import type { Classifier } from '../../pipeline/stages.ts';
import { createOfflineClassifier } from '../../classify/index.ts';
import type { Db } from '../../store/db.ts';
import { LeadStore } from '../../store/leads.ts';
import type { LoadedPolicy } from '../load.ts';
import type { QueueName } from '../schema.ts';
import { summarize, type ReplaySummary } from './diff.ts';
import { candidateOwner, ReplayLedger } from './owners.ts';
import { isChanged, redecide, replayPrecheck, sideOf, type LeadOutcome } from './redecide.ts';
import { selectLeads, type ReplayLead } from './source.ts';

export interface ReplayOptions {
  candidate: LoadedPolicy;
  /** `--since` as given and the instant it stands for; null: every stored lead. */
  since: { text: string; iso: string } | null;
  queue: QueueName | null;
  /** `--reclassify`: a fresh call through this classifier per lead while the budget lasts. */
  reclassify: { classifier: Classifier; budgetUsd: number } | null;
  now?: number;
}


const costOf = (r: ClassifierResult): number => r.cost_usd + (r.second_opinion?.cost_usd ?? 0);

/** The replay's routing instant for a lead: when its first decision assigned it, else when that decision was made. */
const instantOf = (l: ReplayLead): number => l.assignment?.assigned_at ?? Date.parse(l.before.row.created_at);

/**
 * Re-decides the stored leads with a candidate policy and returns the diff. `db` must be read-only: the only
 * effect of a replay is its summary row, written afterwards by recordReplay through another connection.
 */
export async function runReplay(db: Db, opts: ReplayOptions): Promise<ReplaySummary> {
  const { candidate } = opts;
  const now = opts.now ?? Date.now();
  const { leads, skipped } = selectLeads(db, { sinceIso: opts.since?.iso ?? null, queue: opts.queue });
  // Time order: the candidate's round robin sees its own earlier picks.
  const ordered = [...leads].sort((a, b) => instantOf(a) - instantOf(b) || a.record.id.localeCompare(b.record.id));
  const ledger = new ReplayLedger(db, candidate.policy, new Set(leads.map((l) => l.record.id)), ordered[0] ? instantOf(ordered[0]) : now);
  const store = new LeadStore(db);
  const offline = createOfflineClassifier();
  const budget = opts.reclassify ? { spent: 0, calls: 0, reclassified: 0, stopped: false, notReplayed: 0 } : null;
  const outcomes: LeadOutcome[] = [];

  for (const l of ordered) {
    const pre = replayPrecheck(store, l, candidate.policy);
    let classification = l.classification;
    let reclassified = false;
    if (opts.reclassify && budget) {
      if (budget.stopped) {
        budget.notReplayed++;
        continue;
      }
      const ctx = { lead_id: l.record.id, correlation_id: `replay:${l.record.id}` };
      const input = { lead: l.record.lead, enrichment: l.enrichment, policy: candidate.policy };
      if (pre.verdict === 'reject') {
        // As the pipeline: a lead the precheck rejects never reaches the model.
        classification = await offline.classify(input, ctx);
      } else {
        // The next call's cost is not known before it is made: the larger of this lead's stored cost and the
        // average so far stands for it, and the replay stops before a call that would pass the budget.
        const estimate = Math.max(costOf(l.classification), budget.calls ? budget.spent / budget.calls : 0);
        if (budget.spent + estimate > opts.reclassify.budgetUsd) {
          budget.stopped = true;
          budget.notReplayed++;
          continue;
        }
        classification = await opts.reclassify.classifier.classify(input, ctx);
        budget.spent += costOf(classification);
        budget.calls++;
        reclassified = true;
        budget.reclassified++;
      }
    }
    const decision = redecide(l, candidate, pre, classification);
    const at = instantOf(l);
    const owner = candidateOwner(ledger, {
      leadId: l.record.id, lead: l.record.lead, enrichment: l.enrichment, decision, policy: candidate.policy, at,
      intent: classification.classification?.intent ?? null,
    });
    const beforeSide = sideOf(l.before.decision, l.assignment ? { user: l.assignment.user_id, queue: l.assignment.queue, pool: l.assignment.pool, via: l.assignment.via } : null);
    const notes: string[] = [];
    if (l.before.decision.rules.some((r) => r.rule === 'precheck_reject') && pre.verdict !== 'reject') {
      notes.push('the precheck rejected it on arrival, so it was never enriched or read by the model: the replay has domain facts and the offline reading only');
    }
    const outcome: LeadOutcome = {
      lead_id: l.record.id,
      email: l.record.lead.email,
      created_at: l.record.created_at,
      before: { ...beforeSide, policy_hash: l.before.decision.policy_hash, prompt_version: l.classification.prompt_version },
      after: sideOf(decision, owner),
      owner_known: !beforeSide.routed || l.assignment !== null,
      human: l.human,
      reclassified,
      notes,
    };
    outcomes.push(outcome);
  }
  outcomes.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.lead_id.localeCompare(b.lead_id));
  return summarize({
    candidate, since: opts.since, queue: opts.queue, at: new Date(now).toISOString(), outcomes, skipped,
    changed: outcomes.filter(isChanged),
    reclassify: opts.reclassify && budget
      ? { budget_usd: opts.reclassify.budgetUsd, spent_usd: budget.spent, reclassified: budget.reclassified, stopped_by_budget: budget.stopped, not_replayed: budget.notReplayed }
      : null,
    people: candidate.policy.people,
  });
}

/** How many changed leads the stored summary keeps (the printed list shows as many). */
export const STORED_CHANGED_LEADS = 50;

/** The replay's one write, for /triage policy: its summary row, through the caller's writable connection. */
export function recordReplay(db: Db, summary: ReplaySummary): string {
  const id = `rp_${randomUUID()}`;
  const kept = { ...summary, changed_leads: summary.changed_leads.slice(0, STORED_CHANGED_LEADS) };
  db.prepare('INSERT INTO replays (id, at, candidate_hash, since, leads, changed, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(id, summary.at, summary.candidate.hash, summary.since, summary.leads, summary.changed, JSON.stringify(kept));
  return id;
}
