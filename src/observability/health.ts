/** A background loop that has not run for this long is stuck (the worker polls every 200 ms, the outbox every second). */
export const STALE_LOOP_MS = 60_000;

export interface HealthFacts {
  /** True once the background loops were started (not in tests that drive them by hand). */
  background: boolean;
  workerTick: number | null;
  dispatcherPass: number | null;
  slack: 'http' | 'socket' | 'recorded';
  /** Socket Mode's connection state and since when; null in the other modes. */
  socket: { state: string; since: number } | null;
  paused: boolean;
  /** serve with the pipeline in its own process: its pid (null while it restarts) and how often it was restarted. */
  pipeline?: { pid: number | null; restarts: number };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * /healthz: unhealthy when a background loop has stopped turning or the Slack socket has been down for as
 * long (it reconnects by itself; a minute without it means clicks are not arriving). A pause (kill switch)
 * is reported, not a failure.
 */
export function describeHealth(f: HealthFacts, now = Date.now()): { ok: boolean } & Record<string, unknown> {
  const stale = (at: number | null) => f.background && (at === null || now - at > STALE_LOOP_MS);
  const socketDown = f.background && f.socket !== null && f.socket.state !== 'connected' && now - f.socket.since > STALE_LOOP_MS;
  const stuck = [stale(f.workerTick) ? 'worker' : null, stale(f.dispatcherPass) ? 'outbox dispatcher' : null, socketDown ? 'Slack socket' : null]
    .filter((x): x is string => x !== null);
  return {
    ok: stuck.length === 0,
    ...(stuck.length ? { stuck } : {}),
    worker_last_tick_at: iso(f.workerTick),
    dispatcher_last_pass_at: iso(f.dispatcherPass),
    slack: f.slack,
    ...(f.socket ? { slack_socket: f.socket.state, slack_socket_since: iso(f.socket.since) } : {}),
    kill_switch: f.paused,
    ...(f.pipeline ? { pipeline_pid: f.pipeline.pid, pipeline_restarts: f.pipeline.restarts } : {}),
  };
}
