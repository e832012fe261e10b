import { AppError } from './errors.ts';

/** A failure worth retrying (429, 5xx, timeout); `retryAfterMs` carries the server's Retry-After when it sent one. */
export class TransientError extends AppError {
  constructor(message: string, readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super('upstream_transient', message, undefined, options);
    this.name = 'TransientError';
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
