import { queueNotice } from '../nudges/notice.ts';
import type { Classifier } from '../pipeline/stages.ts';
import type { Policy } from '../policy/schema.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';

const HOUR = 3_600_000;

/** The UTC day of `now`, as YYYY-MM-DD. */
export const utcDay = (now: number): string => new Date(now).toISOString().slice(0, 10);

interface Meter { day: string; watermark: number; total: number }
const meters = new WeakMap<Db, Meter>();

/**
 * The highest audit id that is surely older than the day: walks back from the newest row (ids grow with
 * time), an hour past midnight so a slightly out-of-order stamp is still counted. Reads only recent rows.
 */
function floorOfDay(db: Db, dayStart: string): number {
  const stop = new Date(Date.parse(dayStart) - HOUR).toISOString();
  for (const r of db.prepare('SELECT id, at FROM audit_log ORDER BY id DESC').iterate() as Iterable<{ id: number; at: string }>) {
    if (r.at < stop) return r.id;
  }
  return 0;
}

/**
 * The day's model spend in USD: cost_usd of the classify stage's audit rows since 00:00 UTC. The audit log
 * is append-only, so each database keeps a running total and a read sums only rows added since the last.
 * `now` is wall-clock time, the clock that stamps audit rows.
 */
export function spendTodayUsd(db: Db, now = Date.now()): number {
  const day = utcDay(now);
  let m = meters.get(db);
  if (!m || m.day !== day) {
    m = { day, watermark: floorOfDay(db, `${day}T00:00:00.000Z`), total: 0 };
    meters.set(db, m);
  }
  const top = (db.prepare('SELECT MAX(id) FROM audit_log').pluck().get() as number | null) ?? 0;
  if (top > m.watermark) {
    // A rowid range: only the rows added since the last read are visited.
    m.total += db
      .prepare("SELECT COALESCE(SUM(cost_usd), 0) FROM audit_log WHERE id > ? AND id <= ? AND stage = 'classify' AND at >= ?")
      .pluck().get(m.watermark, top, `${day}T00:00:00.000Z`) as number;
    m.watermark = top;
  }
  return m.total;
}

export interface BudgetDeps {
  db: Db;
  audit: AuditLog;
  policy: Policy;
}

const usd = (v: number) => `$${v.toFixed(v < 1 ? 4 : 2)}`;

/**
 * The model classifier while the day's spend is under the policy's daily budget; past it, the embedded
 * classifier answers with fallback_reason `budget_exhausted` (decide holds such a lead for review), the
 * lead gets a `budget_exhausted` audit row, and the review channel is told once per UTC day.
 */
export function withinBudget(model: Classifier, offline: Classifier, deps: BudgetDeps): Classifier {
  const budget = deps.policy.classifier.daily_budget_usd;
  if (budget === undefined || model.name !== 'claude') return model;
  return {
    name: model.name,
    async classify(input, ctx) {
      const now = Date.now();
      const spent = spendTodayUsd(deps.db, now);
      if (spent < budget) return model.classify(input, ctx);
      const day = utcDay(now);
      deps.db.transaction(() => {
        deps.audit.record({
          lead_id: ctx.lead_id, correlation_id: ctx.correlation_id, stage: 'classify', event: 'budget_exhausted',
          reason: `today's model spend ${usd(spent)} reached the daily budget ${usd(budget)} (UTC day ${day}): the embedded classifier reads this lead`,
          output: { spent_usd: spent, budget_usd: budget, day },
        });
        queueNotice(deps.db, {
          channel: deps.policy.routing.review_channel,
          text: `:money_with_wings: Today's classifier budget is spent (${usd(spent)} of ${usd(budget)}, UTC day ${day}). Until 00:00 UTC new leads are read by the embedded classifier and held here for review.`,
          dedupeKey: `budget_exhausted:${day}`, correlationId: `budget-${day}`,
        }, now);
      })();
      return { ...(await offline.classify(input, ctx)), fallback_reason: 'budget_exhausted' };
    },
  };
}
