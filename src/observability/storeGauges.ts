import { Gauge } from 'prom-client';
import type { Db } from '../store/db.ts';
import type { Metrics } from './metrics.ts';

/**
 * Gauges read from the store at scrape time, so they count what every process (the server, a CLI ingest)
 * left in the database, not only what this one did.
 */
export function registerStoreGauges(metrics: Metrics, db: Db, clock: () => number = Date.now): void {
  const registers = [metrics.registry];
  const byStatus = (table: 'leads' | 'jobs' | 'outbox') => db.prepare(`SELECT status, COUNT(*) AS n FROM ${table} GROUP BY status`).all() as Array<{ status: string; n: number }>;
  new Gauge({
    name: 'lead_triage_leads', help: 'Leads by status', labelNames: ['status'] as const, registers,
    collect() { this.reset(); for (const r of byStatus('leads')) this.set({ status: r.status }, r.n); },
  });
  new Gauge({
    name: 'lead_triage_jobs', help: 'Pipeline jobs by status (queued, running, dead, parked, done)', labelNames: ['status'] as const, registers,
    collect() { this.reset(); for (const r of byStatus('jobs')) this.set({ status: r.status }, r.n); },
  });
  new Gauge({
    name: 'lead_triage_outbox_effects', help: 'Outbox effects by status (dead ones wait for a person)', labelNames: ['status'] as const, registers,
    collect() { this.reset(); for (const r of byStatus('outbox')) this.set({ status: r.status }, r.n); },
  });
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
    name: 'lead_triage_leads_awaiting_owner', help: 'Routed leads whose owner has not accepted yet, and routed leads nobody owns', labelNames: ['state'] as const, registers,
    collect() {
      const r = db.prepare(`SELECT COALESCE(SUM(a.user_id IS NOT NULL), 0) AS unaccepted, COALESCE(SUM(a.user_id IS NULL), 0) AS unassigned
        FROM assignments a JOIN leads l ON l.id = a.lead_id WHERE a.ended_at IS NULL AND a.accepted_at IS NULL AND l.status = 'routed'`).get() as { unaccepted: number; unassigned: number };
      this.set({ state: 'not_accepted' }, r.unaccepted);
      this.set({ state: 'unassigned' }, r.unassigned);
    },
  });
}
