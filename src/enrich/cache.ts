import type { Db } from '../store/db.ts';

/** Lookup results by key in `enrichment_cache`; an expired row reads as a miss and is overwritten on the next put. */
export class EnrichmentCache {
  private readonly read;
  private readonly write;

  constructor(db: Db, private readonly now: () => number = Date.now) {
    this.read = db.prepare('SELECT value_json FROM enrichment_cache WHERE key = ? AND expires_at > ?').pluck();
    this.write = db.prepare(`INSERT INTO enrichment_cache (key, value_json, expires_at) VALUES (?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, expires_at = excluded.expires_at`);
  }

  /** `undefined` on a miss; a cached `null` (looked up, nothing found) is a hit. */
  get<T>(key: string): { value: T } | undefined {
    const raw = this.read.get(key, this.now()) as string | undefined;
    return raw === undefined ? undefined : { value: (JSON.parse(raw) as { v: T }).v };
  }

  put<T>(key: string, value: T, ttlMs: number): void {
    this.write.run(key, JSON.stringify({ v: value }), this.now() + ttlMs);
  }

  purgeExpired(): number {
    return this.write.database.prepare('DELETE FROM enrichment_cache WHERE expires_at <= ?').run(this.now()).changes;
  }
}
