import { DeferredError, PermanentError, TransientError } from '../core/upstream.ts';
import type { Db } from '../store/db.ts';

/** A call that is not idempotent at the vendor (a HubSpot note, a Slack post), and how to find what it did. */
export interface OnceCall<T> {
  /** Looks for what an earlier call made at or after `since` (epoch ms) did; null when it did nothing. */
  find(since: number): Promise<T | null>;
  perform(): Promise<T>;
}

export interface InflightLedger {
  /**
   * Makes `call` at most once per (dedupe key, call name) across retries and crashes. The call is marked
   * before it is made and its result kept after, until the effect is done. A mark without a result (a
   * timeout, a dropped connection, a 5xx, the process killed mid-call) means the outcome is unknown: the
   * next attempt defers (spending no attempt) until `settleMs` after the mark, so a straggling request
   * has landed, then looks with `find` and keeps what it finds instead of calling again.
   */
  once<T>(dedupeKey: string, name: string, call: OnceCall<T>): Promise<T>;
}

/** Only an answer from the vendor (a refusal, a rate limit) proves the call did nothing. */
function outcomeUnknown(err: unknown): boolean {
  if (err instanceof PermanentError) return false;
  return !(err instanceof TransientError) || err.uncertain;
}

export function createInflightLedger(db: Db, opts: { settleMs: number; now?: () => number }): InflightLedger {
  const now = opts.now ?? Date.now;
  const read = db.prepare('SELECT started_at, result_json FROM effect_calls WHERE dedupe_key = ? AND call = ?');
  const mark = db.prepare(`INSERT INTO effect_calls (dedupe_key, call, started_at) VALUES (?, ?, ?)
    ON CONFLICT (dedupe_key, call) DO UPDATE SET started_at = excluded.started_at, result_json = NULL`);
  const keep = db.prepare('UPDATE effect_calls SET result_json = ? WHERE dedupe_key = ? AND call = ?');
  const clear = db.prepare('DELETE FROM effect_calls WHERE dedupe_key = ? AND call = ?');

  return {
    async once<T>(dedupeKey: string, name: string, call: OnceCall<T>): Promise<T> {
      const prior = read.get(dedupeKey, name) as { started_at: number; result_json: string | null } | undefined;
      if (prior?.result_json) return JSON.parse(prior.result_json) as T;
      if (prior) {
        const wait = prior.started_at + opts.settleMs - now();
        if (wait > 0) throw new DeferredError(`${name}: an earlier call's outcome is unknown; looking for it in ${Math.ceil(wait / 1000)} s`, wait);
        const found = await call.find(prior.started_at - 1_000);
        if (found !== null) {
          keep.run(JSON.stringify(found), dedupeKey, name);
          return found;
        }
      }
      mark.run(dedupeKey, name, now());
      let result: T;
      try {
        result = await call.perform();
      } catch (err) {
        if (!outcomeUnknown(err)) clear.run(dedupeKey, name);
        throw err;
      }
      keep.run(JSON.stringify(result), dedupeKey, name);
      return result;
    },
  };
}

/** Run with the effect's completion: its calls' marks are no longer needed. */
export function callForgetter(db: Db): (dedupeKey: string) => void {
  const forget = db.prepare('DELETE FROM effect_calls WHERE dedupe_key = ?');
  return (dedupeKey) => void forget.run(dedupeKey);
}
