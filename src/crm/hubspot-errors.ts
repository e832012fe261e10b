import { BrokenCircuitError, TaskCancelledError } from 'cockatiel';
import { DeferredError, PermanentError, TransientError, retryAfterMs } from '../core/upstream.ts';

interface ApiExceptionLike { code: number; body?: unknown; headers?: Record<string, string> }

function isApiException(err: unknown): err is ApiExceptionLike {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number';
}

function bodyMessage(body: unknown): string {
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message.slice(0, 300);
  }
  return '';
}

/**
 * Turns what @hubspot/api-client throws into our retry vocabulary: 429/5xx/timeouts/network are
 * transient (Retry-After kept), other 4xx permanent. The SDK's own retry is disabled so this is
 * the only place that decides.
 */
export function classifyHubspotError(err: unknown, op: string, halfOpenAfterMs = 15_000): TransientError | PermanentError | DeferredError {
  if (err instanceof TransientError || err instanceof PermanentError || err instanceof DeferredError) return err;
  if (err instanceof TaskCancelledError) return new TransientError(`hubspot ${op}: timeout`, undefined, { cause: err, uncertain: true });
  // HubSpot was not called: the effect waits for the breaker to let a trial call through, spending no attempt.
  if (err instanceof BrokenCircuitError) return new DeferredError(`hubspot ${op}: circuit open`, halfOpenAfterMs, { cause: err });
  if (isApiException(err)) {
    const status = err.code;
    const detail = bodyMessage(err.body);
    const headers = Object.fromEntries(Object.entries(err.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    if (status === 429 || status === 408 || status >= 500) {
      // A 5xx may come after the write was made (a gateway timing out behind HubSpot); 429 and 408 never do.
      return new TransientError(`hubspot ${op}: HTTP ${status} ${detail}`.trim(), retryAfterMs(headers['retry-after']), { cause: err, uncertain: status >= 500 });
    }
    return new PermanentError(`hubspot ${op}: HTTP ${status} ${detail}`.trim(), { cause: err });
  }
  // fetch failures (ECONNREFUSED, reset) carry no status: worth another try, but a reset may follow a write.
  return new TransientError(`hubspot ${op}: ${err instanceof Error ? err.message.slice(0, 200) : 'network error'}`, undefined, { cause: err, uncertain: true });
}
