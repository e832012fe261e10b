import { Gauge } from 'prom-client';
import { spendTodayUsd } from '../classify/budget.ts';
import type { Db } from '../store/db.ts';
import type { Metrics } from './metrics.ts';

/**
 * Gauges read from the store at scrape time, so they count what every process (the server, a CLI ingest)
 * left in the database, not only what this one did.
 */
export function registerStoreGauges(metrics: Metrics, db: Db, clock: () => number = Date.now): void {
  const registers = [metrics.registry];
  // The table names are our own constants, never input.
  const byStatus = [
    ['leads', 'lead_triage_leads', 'Leads by status'],
    ['jobs', 'lead_triage_jobs', 'Pipeline jobs by status (queued, running, dead, parked, done)'],
    ['outbox', 'lead_triage_outbox_effects', 'Outbox effects by status (dead ones wait for a person)'],
  ] as const;
  for (const [table, name, help] of byStatus) {
    const count = db.prepare(`SELECT status, COUNT(*) AS n FROM ${table} GROUP BY status`);
    new Gauge({
      name, help, labelNames: ['status'] as const, registers,
      collect() { this.reset(); for (const r of count.all() as Array<{ status: string; n: number }>) this.set({ status: r.status }, r.n); },
    });
  }
  new Gauge({
    name: 'lead_triage_pending_reviews', help: 'Reviews waiting for an approver', registers,
    collect() { this.set(db.prepare("SELECT COUNT(*) FROM decisions WHERE status = 'pending_review'").pluck().get() as number); },
  });
  new Gauge({
    name: 'lead_triage_oldest_pending_review_seconds', help: 'Age of the oldest review waiting for an approver (0 when none)', registers,
    collect() {
      const oldest = db.prepare("SELECT MIN(created_at) FROM decisions WHERE status = 'pending_review'").pluck().get() as string | null;
      this.set(oldest ? Math.max(0, (clock() - Date.parse(oldest)) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'lead_triage_oldest_queued_job_seconds', help: 'Age of the oldest job waiting to run (0 when none)', registers,
    collect() {
      const oldest = db.prepare("SELECT MIN(created_at) FROM jobs WHERE status = 'queued'").pluck().get() as string | null;
      this.set(oldest ? Math.max(0, (clock() - Date.parse(oldest)) / 1000) : 0);
    },
  });
  new Gauge({
    // Wall clock, not `clock`: the day is the audit log's own, whose rows are stamped with it.
    name: 'lead_triage_classifier_spend_today_usd', help: 'Model spend on classification since 00:00 UTC, from the audit log', registers,
    collect() { this.set(spendTodayUsd(db)); },
  });
  new Gauge({
    name: 'lead_triage_leads_awaiting_owner', help: 'Routed leads whose owner has not accepted yet, and routed leads nobody owns', labelNames: ['state'] as const, registers,
    collect() {
      const r = db.prepare(`SELECT COALESCE(SUM(a.user_id IS NOT NULL), 0) AS unaccepted, COALESCE(SUM(a.user_id IS NULL), 0) AS unassigned
        FROM assignments a JOIN leads l ON l.id = a.lead_id WHERE a.ended_at IS NULL AND a.accepted_at IS NULL AND l.status = 'routed'`).get() as { unaccepted: number; unassigned: number };
      this.set({ state: 'not_accepted' }, r.unaccepted);
      this.set({ state: 'unassigned' }, r.unassigned);
    },
  });
}
