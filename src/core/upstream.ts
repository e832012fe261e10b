import { AppError } from './errors.ts';

/**
 * A failure worth retrying (429, 5xx, timeout); `retryAfterMs` carries the server's Retry-After when it sent one.
 * `uncertain` says the call may still have taken effect (timeout, dropped connection, 5xx) rather than
 * certainly not (429, a refusal): a non-idempotent call must look before it is made again.
 */
export class TransientError extends AppError {
  readonly uncertain: boolean;
  constructor(message: string, readonly retryAfterMs?: number, options?: { cause?: unknown; uncertain?: boolean }) {
    super('upstream_transient', message, undefined, options);
    this.name = 'TransientError';
    this.uncertain = options?.uncertain ?? false;
  }
}

/** A failure that retrying will not fix (4xx other than 408/429, validation); the effect goes to dead-letter. */
export class PermanentError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('upstream_permanent', message, undefined, options);
    this.name = 'PermanentError';
  }
}

/** Parses a Retry-After header (seconds or HTTP date) into milliseconds. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The vendor was not called this time (its circuit is open, or an earlier call's outcome is still
 * settling): try again after `retryAfterMs` without spending one of the effect's attempts.
 */
export class DeferredError extends AppError {
  constructor(message: string, readonly retryAfterMs: number, options?: { cause?: unknown }) {
    super('upstream_transient', message, undefined, options);
    this.name = 'DeferredError';
  }
}
