import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent, type RequestFilteringAgentOptions } from 'request-filtering-agent';
import { clipText } from '../core/text.ts';

export interface SiteMeta {
  url: string;
  title: string | null;
  description: string | null;
}

export interface FetchSiteOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Tests only: resolve names without real DNS, and let a loopback test server stand in for a public host. */
  lookup?: LookupFunction;
  agentOptions?: RequestFilteringAgentOptions;
  /** Production refuses anything but 80/443; tests serve on ephemeral ports. */
  allowAnyPort?: boolean;
  signal?: AbortSignal;
}

export class FetchRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchRefused';
  }
}

const TEXT_LIMIT = 300;

/** A numeric entity as text; a surrogate or out-of-range code point becomes U+FFFD, never a lone surrogate. */
const codePoint = (n: number): string => String.fromCodePoint(n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff) ? 0xfffd : n);

function decodeEntities(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n: string) => codePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => codePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"').replace(/&apos;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&');
}

const clean = (s: string | undefined): string | null => {
  if (!s) return null;
  const text = clipText(decodeEntities(s).replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim(), TEXT_LIMIT);
  return text || null;
};

/** Title and meta description from the first bytes of an HTML page (regex: we need two strings, not a DOM). */
export function parseSiteMeta(html: string): { title: string | null; description: string | null } {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const metas = html.match(/<meta\b[^>]*>/gi) ?? [];
  let description: string | undefined;
  for (const tag of metas) {
    if (!/\b(?:name|property)\s*=\s*["']?(?:description|og:description)["']?/i.test(tag)) continue;
    description = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag)?.slice(1).find((v) => v !== undefined);
    if (description) break;
  }
  return { title: clean(title), description: clean(description) };
}

function checkUrl(raw: string, allowAnyPort: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefused('invalid url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefused(`scheme ${url.protocol} refused`);
  if (url.username || url.password) throw new FetchRefused('credentials in url refused');
  if (!allowAnyPort && url.port && url.port !== '80' && url.port !== '443') throw new FetchRefused(`port ${url.port} refused`);
  return url;
}

/**
 * GETs a company homepage for its title and description. The agents refuse private, loopback,
 * link-local and meta addresses after DNS resolution (and for IP literals), every redirect hop is
 * re-checked the same way, and both time and bytes are capped.
 */
export async function fetchSiteMeta(startUrl: string, opts: FetchSiteOptions = {}): Promise<SiteMeta> {
  const maxBytes = opts.maxBytes ?? 256 * 1024;
  const timeoutMs = opts.timeoutMs ?? 3_000;
  let url = checkUrl(startUrl, opts.allowAnyPort ?? false);
  // Not AbortSignal.any([AbortSignal.timeout(…)]): Node may collect the timeout signal before it
  // fires, and the fetch then never ends (nodejs/node#57736). The timer holds this controller.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DOMException(`site fetch timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  const signal = opts.signal ? AbortSignal.any([deadline.signal, opts.signal]) : deadline.signal;
  const httpAgent = new RequestFilteringHttpAgent({ ...opts.agentOptions, keepAlive: false });
  const httpsAgent = new RequestFilteringHttpsAgent({ ...opts.agentOptions, keepAlive: false });
  try {
    for (let hop = 0; ; hop++) {
      const res = await get(url, url.protocol === 'https:' ? https : http, url.protocol === 'https:' ? httpsAgent : httpAgent, signal, opts.lookup);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.destroy();
        if (hop >= (opts.maxRedirects ?? 3)) throw new FetchRefused('too many redirects');
        url = checkUrl(new URL(res.headers.location, url).toString(), opts.allowAnyPort ?? false);
        continue;
      }
      if (status !== 200) {
        res.destroy();
        throw new Error(`HTTP ${status}`);
      }
      if (!/text\/html|application\/xhtml/i.test(String(res.headers['content-type'] ?? ''))) {
        res.destroy();
        throw new Error('not html');
      }
      const html = await readCapped(res, maxBytes);
      return { url: url.toString(), ...parseSiteMeta(html) };
    }
  } finally {
    clearTimeout(timer);
    httpAgent.destroy();
    httpsAgent.destroy();
  }
}

function get(url: URL, mod: typeof http | typeof https, agent: http.Agent, signal: AbortSignal, lookup?: LookupFunction): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = mod.get(url, { agent, signal, headers: { 'user-agent': 'lead-triage/0.1 (+company lookup)', accept: 'text/html' }, ...(lookup ? { lookup } : {}) }, resolve);
    req.on('error', (err) => reject(signal.aborted ? signal.reason : /not allowed/.test(err.message) ? new FetchRefused(err.message) : err));
  });
}

async function readCapped(res: http.IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    const buf = chunk as Buffer;
    chunks.push(buf.subarray(0, Math.max(0, maxBytes - size)));
    size += buf.length;
    if (size >= maxBytes) {
      res.destroy(); // enough for <head>; never buffer an unbounded body
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
