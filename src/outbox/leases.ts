import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { OutboxRow } from './types.ts';

/**
 * The dispatcher's claims on effects: one owner per dispatcher, a claim being (owner, attempt number).
 * Effects in flight have their lease renewed every third of `leaseMs`, so a slow vendor call is never
 * taken over; an effect whose every attempt died with its process is dead-lettered, not claimed forever.
 */
export function createOutboxLeases(db: Db, audit: AuditLog, logger: Logger, opts: { leaseMs: number; maxAttempts: number }) {
  const owner = `outbox-${process.pid}-${randomUUID().slice(0, 8)}`;
  const inflight = new Map<number, number>();
  const renew = db.prepare("UPDATE outbox SET lease_until = ? WHERE id = ? AND status = 'running' AND lease_owner = ? AND attempts = ?");
  const expire = db.prepare(`UPDATE outbox SET status = 'dead', lease_owner = NULL, lease_until = NULL, updated_at = @stamp,
      last_error = 'the last attempt never finished (its process died or stalled past the lease)'
    WHERE status = 'running' AND lease_until < @now AND attempts >= @max RETURNING id, lead_id, kind, attempts, correlation_id`);

  const renewal = setInterval(() => {
    const until = Date.now() + opts.leaseMs;
    for (const [id, attempts] of inflight) {
      try {
        renew.run(until, id, owner, attempts);
      } catch {
        // A busy database is not a lost lease; the next renewal comes well before expiry.
      }
    }
  }, Math.max(100, Math.floor(opts.leaseMs / 3)));
  renewal.unref();

  return {
    owner,
    /** Renew this claim while its handler runs. */
    hold: (row: Pick<OutboxRow, 'id' | 'attempts'>) => void inflight.set(row.id, row.attempts),
    release: (id: number) => void inflight.delete(id),
    buryExpired(now: number): void {
      db.transaction(() => {
        const rows = expire.all({ stamp: new Date(now).toISOString(), now, max: opts.maxAttempts }) as Array<Pick<OutboxRow, 'id' | 'lead_id' | 'kind' | 'attempts' | 'correlation_id'>>;
        for (const r of rows) {
          audit.record({ lead_id: r.lead_id, correlation_id: r.correlation_id, stage: 'act', event: 'effect_dead', decision: r.kind, reason: 'the last attempt never finished', output: { outbox_id: r.id, kind: r.kind, attempt: r.attempts } });
          logger.error({ outbox_id: r.id, kind: r.kind, lead_id: r.lead_id }, 'outbox: effect dead-lettered (its last attempt never finished)');
        }
      })();
    },
    stop: () => clearInterval(renewal),
  };
}
