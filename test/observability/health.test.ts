import { describe, expect, it } from 'vitest';
import { describeHealth, STALE_LOOP_MS } from '../../src/observability/health.ts';

const now = Date.parse('2026-12-01T10:00:00Z');
const base = { background: true, workerTick: now - 1_000, dispatcherPass: now - 2_000, slack: 'socket' as const, socket: { state: 'connected', since: now - 60_000 * 30 }, paused: false };

describe('/healthz', () => {
  it('is healthy while both background loops turn, and reports the pause without failing', () => {
    expect(describeHealth({ ...base, paused: true }, now)).toEqual({
      ok: true, worker_last_tick_at: '2026-12-01T09:59:59.000Z', dispatcher_last_pass_at: '2026-12-01T09:59:58.000Z', slack: 'socket',
      slack_socket: 'connected', slack_socket_since: '2026-12-01T09:30:00.000Z', kill_switch: true,
    });
  });

  it('names the loop that stopped turning', () => {
    const h = describeHealth({ ...base, dispatcherPass: now - STALE_LOOP_MS - 1 }, now);
    expect(h).toMatchObject({ ok: false, stuck: ['outbox dispatcher'] });
    expect(describeHealth({ ...base, workerTick: null }, now)).toMatchObject({ ok: false, stuck: ['worker'] });
    // Loops driven by hand (tests, CLI) are never judged.
    expect(describeHealth({ ...base, background: false, workerTick: null, dispatcherPass: null }, now).ok).toBe(true);
  });

  it('fails when the Slack socket has been down for a minute, not while it reconnects', () => {
    const reconnecting = { state: 'reconnecting', since: now - 5_000 };
    expect(describeHealth({ ...base, socket: reconnecting }, now)).toMatchObject({ ok: true, slack_socket: 'reconnecting' });
    const down = { state: 'disconnected', since: now - STALE_LOOP_MS - 1 };
    expect(describeHealth({ ...base, socket: down }, now)).toMatchObject({ ok: false, stuck: ['Slack socket'], slack_socket: 'disconnected' });
    // HTTP and recorded modes have no socket to judge.
    expect(describeHealth({ ...base, slack: 'http', socket: null }, now)).not.toHaveProperty('slack_socket');
  });
});
