import type { Policy } from '../policy/schema.ts';
import { FIRST_TOUCH_SQL, median } from '../review/stats.ts';
import { loadRoutingState } from '../routing/ledger.ts';
import { poolStatus, type PoolStatus } from '../routing/poolStatus.ts';
import type { Db } from '../store/db.ts';

const DAY_MS = 86_400_000;

/** A speed-to-lead figure over some leads: how many had the event, and the median and 90th percentile wait, in minutes. */
export interface Speed {
  n: number;
  median_minutes: number | null;
  p90_minutes: number | null;
}

/** How the first (automatic) decision of each lead received that day came out. */
export interface Outcomes {
  /** auto_route_sales or auto_route_support. */
  auto_routed: number;
  /** auto_reject_spam. */
  auto_rejected: number;
  /** human_review: held for a person to decide. */
  review: number;
  /** hold: the kill switch was on (paused); read again on resume. */
  held: number;
  /** No decision yet (still processing, parked, failed). */
  undecided: number;
}

export interface DayFigures extends Outcomes {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  /** Leads received that day. */
  leads: number;
  /** Of the leads received that day: receipt to their first Slack card. */
  to_card: Speed;
  /** Of the leads received that day: receipt to their first touch by a person. */
  to_first_touch: Speed;
  /** Model spend recorded that day (classify stage), whichever day its lead came in. */
  cost_usd: number;
  /** cost_usd / leads; null on a day without leads. */
  cost_per_lead_usd: number | null;
  tokens_in: number;
  tokens_out: number;
}

export interface Figures {
  days: number;
  /** Start of the window: midnight UTC, `days - 1` days before today. */
  from: string;
  /** The instant the figures were computed. */
  to: string;
  /** Oldest day first, one entry per UTC day of the window (days without leads included, as zeros). */
  per_day: DayFigures[];
  totals: Outcomes & { leads: number; cost_usd: number; cost_per_lead_usd: number | null; tokens_in: number; tokens_out: number };
  /** Over every lead of the window (not a median of daily medians). */
  to_card: Speed;
  to_first_touch: Speed;
  /** Each pool of the policy as `/triage who` shows it: each member's share of the pool's own fairness window against their weighted target. */
  shares: PoolStatus[];
}

/**
 * Nearest-rank percentile (no statistics library is a dependency): the smallest value such that at least p % of
 * the values are at or below it, i.e. sorted[ceil(p/100 × n) − 1]. Always one of the values, never interpolated.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1]!;
}

/** The median is review/stats.ts's (mean of the two middle values for an even count), as in the digest and /triage stats. */
function speed(minutes: readonly number[]): Speed {
  return { n: minutes.length, median_minutes: median([...minutes]), p90_minutes: percentile(minutes, 90) };
}

interface LeadRow {
  created_at: string;
  first_action: string | null;
  first_card: string | null;
  first_touch: string | null;
  first_accept: number | null;
  claimed: string | null;
}

interface CostRow { day: string; cost: number | null; tokens_in: number | null; tokens_out: number | null }

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function outcomeOf(action: string | null): keyof Outcomes {
  switch (action) {
    case 'auto_route_sales':
    case 'auto_route_support': return 'auto_routed';
    case 'auto_reject_spam': return 'auto_rejected';
    case 'human_review': return 'review';
    case 'hold': return 'held';
    default: return 'undecided';
  }
}

const noOutcomes = (): Outcomes => ({ auto_routed: 0, auto_rejected: 0, review: 0, held: 0, undecided: 0 });

/**
 * The console's Figures page: the last `days` UTC days (today, still running, included) read from the store.
 *
 * Speed to lead is measured from leads.created_at, the moment we received the submission, as the digest and
 * `/triage stats` do (windowStats): the lead's own submitted_at comes from the form provider (or an import) and
 * can be hours or months old, which would measure the provider's delay or the backfill, not ours.
 * First touch is the earliest of FIRST_TOUCH_SQL (a person acting on the lead in Slack: claim, approve, reject,
 * edit, reprocess), the first accepted assignment (the Accept button or a thread reply by the assignee, audited
 * under the route stage, which FIRST_TOUCH_SQL does not see) and the first Take this lead.
 */
export function computeFigures(db: Db, policy: Policy, now: number, days = 30): Figures {
  const n = Math.max(1, Math.floor(days));
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const start = today - (n - 1) * DAY_MS;
  const end = today + DAY_MS;
  const startIso = new Date(start).toISOString();
  const endIso = new Date(end).toISOString();

  // One read transaction: every figure from the same snapshot. loadRoutingState stamps pool members it has not seen
  // yet (INSERT OR IGNORE), as `/triage who` and the next assign() would; that is the only write.
  return db.transaction((): Figures => {
    const leads = db.prepare(`SELECT l.created_at,
        (SELECT d.final_action FROM decisions d WHERE d.lead_id = l.id AND d.version = 1) AS first_action,
        (SELECT MIN(c.posted_at) FROM slack_cards c WHERE c.lead_id = l.id) AS first_card,
        (${FIRST_TOUCH_SQL}) AS first_touch,
        (SELECT MIN(s.accepted_at) FROM assignments s WHERE s.lead_id = l.id) AS first_accept,
        (SELECT k.first_claimed_at FROM lead_claims k WHERE k.lead_id = l.id) AS claimed
      FROM leads l WHERE l.created_at >= ? AND l.created_at < ?`).all(startIso, endIso) as LeadRow[];

    // date() reads the ISO instants audit rows carry (…Z) as UTC.
    const costs = db.prepare(`SELECT date(at) AS day, SUM(cost_usd) AS cost, SUM(tokens_in) AS tokens_in, SUM(tokens_out) AS tokens_out
      FROM audit_log WHERE stage = 'classify' AND at >= ? AND at < ? GROUP BY date(at)`).all(startIso, endIso) as CostRow[];

    const shares = poolStatus(policy, loadRoutingState(db, policy, now), now);

    const buckets = new Map<string, { leads: number; outcomes: Outcomes; card: number[]; touch: number[] }>();
    for (let i = 0; i < n; i++) buckets.set(dayOf(start + i * DAY_MS), { leads: 0, outcomes: noOutcomes(), card: [], touch: [] });
    const allCard: number[] = [];
    const allTouch: number[] = [];
    const minutesFrom = (from: number, to: number) => (to - from) / 60_000;

    for (const r of leads) {
      const at = Date.parse(r.created_at);
      const b = buckets.get(dayOf(at));
      if (!b) continue;
      b.leads++;
      b.outcomes[outcomeOf(r.first_action)]++;
      if (r.first_card) {
        const m = minutesFrom(at, Date.parse(r.first_card));
        b.card.push(m);
        allCard.push(m);
      }
      const touches = [r.first_touch ? Date.parse(r.first_touch) : null, r.first_accept, r.claimed ? Date.parse(r.claimed) : null].filter((t): t is number => t !== null && Number.isFinite(t));
      if (touches.length) {
        const m = minutesFrom(at, Math.min(...touches));
        b.touch.push(m);
        allTouch.push(m);
      }
    }

    const spend = new Map(costs.map((c) => [c.day, c]));
    const per_day: DayFigures[] = [...buckets].map(([day, b]) => {
      const c = spend.get(day);
      const cost = c?.cost ?? 0;
      return {
        day, leads: b.leads, ...b.outcomes,
        to_card: speed(b.card), to_first_touch: speed(b.touch),
        cost_usd: cost, cost_per_lead_usd: b.leads ? cost / b.leads : null, tokens_in: c?.tokens_in ?? 0, tokens_out: c?.tokens_out ?? 0,
      };
    });

    const totals = { leads: 0, ...noOutcomes(), cost_usd: 0, cost_per_lead_usd: null as number | null, tokens_in: 0, tokens_out: 0 };
    for (const d of per_day) {
      totals.leads += d.leads;
      totals.auto_routed += d.auto_routed;
      totals.auto_rejected += d.auto_rejected;
      totals.review += d.review;
      totals.held += d.held;
      totals.undecided += d.undecided;
      totals.cost_usd += d.cost_usd;
      totals.tokens_in += d.tokens_in;
      totals.tokens_out += d.tokens_out;
    }
    totals.cost_per_lead_usd = totals.leads ? totals.cost_usd / totals.leads : null;

    return {
      days: n, from: startIso, to: new Date(now).toISOString(),
      per_day, totals, to_card: speed(allCard), to_first_touch: speed(allTouch), shares,
    };
  })();
}
