import { z } from 'zod';
import { DecisionSchema, RuleHitSchema } from '../core/decision.ts';
import type { Db } from '../store/db.ts';
import { differingRules } from './shadow.ts';

export interface ShadowSummary {
  /** The candidate summarised: the latest shadow in the window (or the one asked for); null when none decided. */
  hash: string | null;
  /** Leads it decided in the window (a lead decided twice, e.g. reprocessed, counts once: its latest). */
  decided: number;
  disagreements: number;
  /** disagreements / decided; null when it decided nothing. */
  rate: number | null;
  /** Rules in one decision but not the other, over the disagreements, most frequent first. */
  top_rules: Array<{ rule: string; count: number }>;
}

interface Row { lead_id: string; shadow_hash: string; rules_json: string; agrees: number; decision_json: string }

const Rules = z.array(RuleHitSchema);
const rulesOf = (json: string, schema: z.ZodType<Array<{ rule: string }>>) => {
  try {
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
};
const LiveRules = DecisionSchema.transform((d) => d.rules);

/**
 * How often the shadow candidate disagreed with the real policy over the `sinceMs` before `now`, and on which rules.
 * One candidate at a time: an edited candidate is a new hash, and mixing two would credit one with the other's calls.
 */
export function shadowSummary(db: Db, sinceMs: number, now = Date.now(), opts: { hash?: string; top?: number } = {}): ShadowSummary {
  const rows = db.prepare(`SELECT s.lead_id, s.shadow_hash, s.rules_json, s.agrees, d.decision_json
      FROM shadow_decisions s JOIN decisions d ON d.id = s.decision_id
      WHERE s.created_at > ? AND s.created_at <= ? ORDER BY s.created_at, s.rowid`).all(now - sinceMs, now) as Row[];
  const hash = opts.hash ?? rows.at(-1)?.shadow_hash ?? null;
  const latest = new Map<string, Row>();
  for (const r of rows) if (r.shadow_hash === hash) latest.set(r.lead_id, r);
  const counts = new Map<string, number>();
  let disagreements = 0;
  for (const r of latest.values()) {
    if (r.agrees) continue;
    disagreements++;
    for (const rule of differingRules(rulesOf(r.decision_json, LiveRules), rulesOf(r.rules_json, Rules))) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  const top_rules = [...counts].map(([rule, count]) => ({ rule, count }))
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule))
    .slice(0, opts.top ?? 5);
  const decided = latest.size;
  return { hash: decided ? hash : null, decided, disagreements, rate: decided ? disagreements / decided : null, top_rules };
}
