import type { OutboxEffect } from '../core/effects.ts';

/** Runs one effect. Resolves with what to keep in `outbox.result_json` (e.g. CRM ids); throws TransientError / PermanentError. */
export type EffectHandler = (effect: OutboxEffect) => Promise<unknown>;

export interface OutboxRow {
  id: number;
  lead_id: string;
  decision_id: string;
  kind: string;
  dedupe_key: string;
  payload_json: string;
  status: 'pending' | 'running' | 'done' | 'dead';
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  last_error: string | null;
  result_json: string | null;
  correlation_id: string;
  created_at: string;
  updated_at: string;
}
