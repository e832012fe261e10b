import type { Decision } from '../../core/decision.ts';
import type { Enrichment } from '../../core/enrichment.ts';
import type { CanonicalLead } from '../../core/lead.ts';
import { leadStatusFor } from '../../pipeline/commit.ts';
import { assign, type Absence, type LedgerEntry, type RoutingState } from '../../routing/assign.ts';
import type { Db } from '../../store/db.ts';
import type { Policy } from '../schema.ts';

/** The widest fairness window (30 days) and any weekly cap fit in this span, as in routing/ledger.ts. */
const LEDGER_SPAN_MS = 35 * 86_400_000;

export interface OwnerPick { user: string | null; queue: string; pool: string | null; via: string }

type Row = Omit<LedgerEntry, 'credited'> & { id: number; credited: number };

/**
 * The round-robin ledger as the candidate would have grown it, read-only. An approximation, said plainly:
 * it starts from the assignments stored now (with today's credits, absences and pool join times, not those of
 * the day), drops the automatic assignments of the leads being replayed, and adds the candidate's own picks as
 * the replay walks the leads in time order. People's later moves (claims, reassigns, an approval's owner) stay as
 * stored, and a candidate pool member the store has never seen counts as joined when the replayed span begins.
 * Never loadRoutingState: it stamps new pool members, a write.
 */
export class ReplayLedger {
  private readonly entries: LedgerEntry[];
  private readonly absences: Absence[];
  private readonly joined: Record<string, Record<string, number>>;

  constructor(db: Db, policy: Policy, replayed: ReadonlySet<string>, from: number) {
    const rows = db.prepare(`SELECT id, lead_id, user_id AS user, pool, assigned_at AS at, via, credited FROM assignments
      WHERE user_id IS NOT NULL AND assigned_at >= ? ORDER BY assigned_at, id`).all(from - LEDGER_SPAN_MS) as Row[];
    this.entries = rows
      .filter((r) => !(replayed.has(r.lead_id) && r.via !== 'human'))
      .map(({ id: _id, ...r }) => ({ ...r, credited: r.credited === 1 }));
    this.absences = db.prepare('SELECT user_id AS user, from_at AS "from", until_at AS until FROM absences').all() as Absence[];
    this.joined = {};
    for (const r of db.prepare('SELECT pool, user_id, first_seen_at FROM pool_members_seen').all() as Array<{ pool: string; user_id: string; first_seen_at: number }>) {
      (this.joined[r.pool] ??= {})[r.user_id] = r.first_seen_at;
    }
    for (const [pool, p] of Object.entries(policy.pools)) for (const m of p.members) (this.joined[pool] ??= {})[m.user] ??= from;
  }

  /** What assign() reads at `now`: the window's entries (LedgerIndex ignores later ones). */
  state(now: number): RoutingState {
    const lo = this.lowerBound(now - LEDGER_SPAN_MS);
    return { entries: this.entries.slice(lo, this.lowerBound(now + 1)), absences: this.absences, joined: this.joined };
  }

  add(entry: LedgerEntry): void {
    this.entries.splice(this.lowerBound(entry.at + 1), 0, entry);
  }

  private lowerBound(at: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid]!.at < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export interface OwnerInput {
  leadId: string;
  lead: CanonicalLead;
  enrichment: Enrichment;
  intent: string | null;
  decision: Decision;
  policy: Policy;
  at: number;
}

/**
 * Who the candidate's decision would have handed the lead to, as commitAssignment does for a first decision:
 * only a routed lead gets an owner; without assign_owner it is posted unassigned. The pick joins the ledger.
 */
export function candidateOwner(ledger: ReplayLedger, i: OwnerInput): OwnerPick | null {
  const queue = i.decision.route;
  if (!queue || leadStatusFor(i.decision) !== 'routed') return null;
  if (!i.decision.actions.includes('assign_owner')) return { user: null, queue, pool: null, via: 'fallback' };
  const history = i.enrichment.crm_history;
  const a = assign(i.lead, i.enrichment, {
    queue, intent: i.intent, human: null, exclude: [],
    crmOwners: { contact: history?.contact_owner_id ?? null, company: history?.company_owner_id ?? null, domain: i.enrichment.company?.domain ?? i.enrichment.domain.registrable_domain ?? null },
  }, i.policy, ledger.state(i.at), i.at);
  if (a.user) ledger.add({ lead_id: i.leadId, user: a.user, pool: a.pool, at: i.at, via: a.via, credited: false });
  return { user: a.user, queue: a.queue, pool: a.pool, via: a.via };
}
