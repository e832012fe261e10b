import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parse as parseCookies, serialize as cookie } from 'cookie';
import type { Config } from '../config/env.ts';

/** No inline script or style anywhere: the pages load only our own files. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" on our own form posts.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

const SESSION_COOKIE = 'lt_console';
const CSRF_COOKIE = 'lt_csrf';

/** What the browser says about where a POST came from (a client that says nothing, like curl, passes). */
function sameOrigin(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false; // "null" and anything unparsable
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Who may see the console. On loopback, whoever reaches the port (as for /metrics). Reachable from elsewhere,
 * only a browser holding a session made from CONSOLE_TOKEN; without a token the console refuses to serve.
 */
export function createConsoleGuard(config: Pick<Config, 'host' | 'console'>) {
  const token = config.console.token;
  const needsToken = !isLoopback(config.host);
  // Per process: a restart only asks open forms to be reloaded.
  const csrfKey = randomBytes(32);
  const sessionValue = token ? hmac(token, 'lead-triage console session') : null;
  const cookies = (req: IncomingMessage) => parseCookies(req.headers.cookie ?? '');

  return {
    needsToken,
    /** Why the console will not serve at all, or null. */
    refusal: needsToken && !token
      ? `The console is reachable from other machines (HOST=${config.host}) and CONSOLE_TOKEN is not set, so it is switched off. Set CONSOLE_TOKEN (16+ characters), or HOST=127.0.0.1 to keep it on this machine.`
      : null,

    signedIn(req: IncomingMessage): boolean {
      if (!needsToken) return true;
      const auth = req.headers.authorization;
      if (token && auth?.startsWith('Bearer ') && sameText(auth.slice(7), token)) return true;
      const session = cookies(req)[SESSION_COOKIE];
      return Boolean(sessionValue && session && sameText(session, sessionValue));
    },

    /** The Set-Cookie for a correct token, or null. */
    signIn(submitted: string): string | null {
      if (!token || !sessionValue || !sameText(submitted, token)) return null;
      return cookie(SESSION_COOKIE, sessionValue, { httpOnly: true, sameSite: 'strict', path: '/', secure: false });
    },

    /** The form token for this browser, and the cookie to set when it has none yet. */
    csrf(req: IncomingMessage): { token: string; setCookie: string | null } {
      const existing = cookies(req)[CSRF_COOKIE];
      const seed = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomBytes(32).toString('base64url');
      return { token: hmac(csrfKey, seed), setCookie: seed === existing ? null : cookie(CSRF_COOKIE, seed, { httpOnly: true, sameSite: 'strict', path: '/' }) };
    },

    /** A POST must come from our own page: the form token matches this browser's cookie, and the browser says same origin. */
    csrfOk(req: IncomingMessage, formToken: string | null): boolean {
      const seed = cookies(req)[CSRF_COOKIE];
      return Boolean(seed && formToken && sameText(formToken, hmac(csrfKey, seed))) && sameOrigin(req);
    },

    sameOrigin,
  };
}
export type ConsoleGuard = ReturnType<typeof createConsoleGuard>;
