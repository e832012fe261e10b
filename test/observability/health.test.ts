import { describe, expect, it } from 'vitest';
import { describeHealth, STALE_LOOP_MS } from '../../src/observability/health.ts';

const now = Date.parse('2026-12-01T10:00:00Z');
const base = { background: true, workerTick: now - 1_000, dispatcherPass: now - 2_000, slack: 'socket' as const, paused: false };

describe('/healthz', () => {
  it('is healthy while both background loops turn, and reports the pause without failing', () => {
    expect(describeHealth({ ...base, paused: true }, now)).toEqual({
      ok: true, worker_last_tick_at: '2026-12-01T09:59:59.000Z', dispatcher_last_pass_at: '2026-12-01T09:59:58.000Z', slack: 'socket', kill_switch: true,
    });
  });

  it('names the loop that stopped turning', () => {
    const h = describeHealth({ ...base, dispatcherPass: now - STALE_LOOP_MS - 1 }, now);
    expect(h).toMatchObject({ ok: false, stuck: ['outbox dispatcher'] });
    expect(describeHealth({ ...base, workerTick: null }, now)).toMatchObject({ ok: false, stuck: ['worker'] });
    // Loops driven by hand (tests, CLI) are never judged.
    expect(describeHealth({ ...base, background: false, workerTick: null, dispatcherPass: null }, now).ok).toBe(true);
  });
});
