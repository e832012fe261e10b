import { describe, expect, it } from 'vitest';
import { benchEnrich } from '../../bench/enrich.ts';

describe('enrich stage latency', () => {
  it('takes no longer than its slowest lookup plus 10 ms (all lookups in parallel)', async () => {
    const r = await benchEnrich(15);
    // PDL's fake answers in 150 ms; sequential lookups would take ~430 ms
    expect(r.slowestLookupMs).toBeGreaterThanOrEqual(150);
    expect(r.p50).toBeLessThanOrEqual(r.slowestLookupMs + 10);
    expect(r.overheadP50Ms).toBeLessThan(10);
  });
});
