/** Every failure we expect carries a code; `describeError` is the one place that turns it into user text. */
export type ErrorCode =
  | 'config_invalid'
  | 'policy_invalid'
  | 'signature_invalid'
  | 'signature_stale'
  | 'provider_not_configured'
  | 'payload_invalid'
  | 'payload_too_large'
  | 'rate_limited'
  | 'not_found'
  | 'not_authorized'
  | 'already_handled'
  | 'upstream_transient'
  | 'upstream_permanent';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Dotted path of the offending field, when there is one. */
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export function describeError(err: unknown): { code: ErrorCode | 'internal'; message: string; field?: string } {
  if (err instanceof AppError) return { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) };
  return { code: 'internal', message: 'internal error' };
}

/** Turns a zod issue list into the one line an operator needs: `field.path: what is wrong`. */
export function firstIssueLine(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): { field: string; line: string } {
  const issue = issues[0];
  if (!issue) return { field: '', line: 'invalid' };
  const field = issue.path.map(String).join('.') || '(root)';
  return { field, line: `${field}: ${issue.message}` };
}
