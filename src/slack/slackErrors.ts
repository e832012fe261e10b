import { PermanentError, TransientError } from '../core/upstream.ts';

/** Slack answers these when retrying could help; anything else from the platform is permanent. */
const TRANSIENT_PLATFORM = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);
/** Slack's own words for these: "it's possible some aspect of the operation succeeded before the error was raised". */
const MAYBE_DONE = new Set(['internal_error', 'fatal_error']);

interface SlackLikeError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
  message?: string;
}

/** Maps a @slack/web-api error to the outbox's retry classes (never leaking the token: messages only). */
export function toUpstreamError(err: unknown): Error {
  const e = (err ?? {}) as SlackLikeError;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new TransientError('slack: rate limited', (e.retryAfter ?? 1) * 1000, { cause: err });
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      return TRANSIENT_PLATFORM.has(code)
        ? new TransientError(`slack: ${code}`, undefined, { cause: err, uncertain: MAYBE_DONE.has(code) })
        : new PermanentError(`slack: ${code}`, { cause: err });
    }
    case 'slack_webapi_http_error':
      return (e.statusCode ?? 500) >= 500 || e.statusCode === 408
        ? new TransientError(`slack: HTTP ${e.statusCode}`, undefined, { cause: err, uncertain: (e.statusCode ?? 500) >= 500 })
        : new PermanentError(`slack: HTTP ${e.statusCode}`, { cause: err });
    case 'slack_webapi_request_error':
      // A timeout or a dropped connection: Slack may have posted the message before we stopped listening.
      return new TransientError('slack: request failed', undefined, { cause: err, uncertain: true });
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}

/** The platform error code of a failed call, for decisions like "card was deleted: post a new one". */
export function slackErrorCode(err: unknown): string | null {
  const e = (err ?? {}) as SlackLikeError;
  return e.code === 'slack_webapi_platform_error' ? (e.data?.error ?? null) : null;
}
