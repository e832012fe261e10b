import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';

/**
 * A local Anthropic Messages API: POST /v1/messages answering exactly as the API does — a `message`
 * object whose `content[]` holds `tool_use` (or `text`) blocks and whose `usage` carries cache
 * tokens; errors as `{type:"error", error:{type, message}}` with 429 + retry-after, 529
 * overloaded_error, 5xx api_error. Responses are scripted in order; every request body is recorded.
 * GET /v1/models/{id} answers a ModelInfo for a known id or alias (an alias resolves to its dated id) and
 * 404 not_found_error otherwise. With `apiKey`, a request that carries it neither as `x-api-key` nor as
 * `Authorization: Bearer` (how this SDK version sends a key) gets 401 authentication_error.
 * With `cache`, usage is counted from the request instead of the fixed 900 in / 150 out: ~4 characters a
 * token, and prompt caching above `cache.minimum` tokens (countInput below).
 */
export type Scripted =
  | { tool: Record<string, unknown>; name?: string; usage?: Partial<Usage>; model?: string; delayMs?: number }
  | { text: string; usage?: Partial<Usage> }
  | { status: 429; retryAfter?: string }
  | { status: 529 }
  | { status: 500 | 502 | 503 }
  | { status: 400 | 401; message?: string };

interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface RecordedRequest {
  at: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> & { messages: { role: string; content: unknown }[] };
  /** Set for a request answered after `delayMs`: true while its answer is held back, false once the delay is over. */
  held?: boolean;
  /** The usage answered (successful responses only). */
  usage?: Usage;
}

export interface AnthropicFake {
  /** ANTHROPIC_BASE_URL for the SDK. */
  url: string;
  requests: RecordedRequest[];
  /** Every GET /v1/models/{id}: the id asked for (these are free; `requests` holds only Messages calls). */
  modelLookups: string[];
  /** Model id → display name; aliases map to a dated id that must be here too. Edit freely. */
  models: Map<string, string>;
  aliases: Map<string, string>;
  script(...responses: Scripted[]): void;
  /** Answer when the script is empty. */
  setDefault(response: Scripted): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_error',
  500: 'api_error',
  502: 'api_error',
  503: 'api_error',
  529: 'overloaded_error',
};

const DEFAULT_MODELS: Array<[string, string]> = [
  ['claude-haiku-4-5-20251001', 'Claude Haiku 4.5'],
  ['claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5'],
  ['claude-opus-4-1-20250805', 'Claude Opus 4.1'],
];
const DEFAULT_ALIASES: Array<[string, string]> = [
  ['claude-haiku-4-5', 'claude-haiku-4-5-20251001'],
  ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'],
  ['claude-opus-4-1', 'claude-opus-4-1-20250805'],
];

export async function startAnthropicFake(opts: { apiKey?: string; cache?: PromptCache } = {}): Promise<AnthropicFake> {
  const requests: RecordedRequest[] = [];
  const modelLookups: string[] = [];
  const models = new Map(DEFAULT_MODELS);
  const aliases = new Map(DEFAULT_ALIASES);
  const queue: Scripted[] = [];
  let fallback: Scripted = { status: 500 };
  let n = 0;
  // Prompt-cache entries: hash of model + prefix → expiry (ms).
  const cached = new Map<string, number>();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${++n}`, ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (opts.apiKey !== undefined && req.headers['x-api-key'] !== opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      return send(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    }
    const model = /^\/v1\/models\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && model) {
      const asked = decodeURIComponent(model[1] as string);
      modelLookups.push(asked);
      const id = aliases.get(asked) ?? asked;
      const name = models.get(id);
      if (!name) return send(res, 404, { type: 'error', error: { type: 'not_found_error', message: `model: ${asked}` } });
      return send(res, 200, { type: 'model', id, display_name: name, created_at: '2025-10-01T00:00:00Z' });
    }
    if (req.method !== 'POST' || path !== '/v1/messages') {
      return send(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedRequest['body'];
    const recorded: RecordedRequest = { at: Date.now(), headers: req.headers, body };
    requests.push(recorded);
    const r = queue.shift() ?? fallback;
    if ('status' in r) {
      const headers: Record<string, string> = r.status === 429 && r.retryAfter !== undefined ? { 'retry-after': r.retryAfter } : {};
      const message = 'message' in r && r.message ? r.message : r.status === 529 ? 'Overloaded' : 'scripted failure';
      return send(res, r.status, { type: 'error', error: { type: ERROR_TYPES[r.status] ?? 'api_error', message } }, headers);
    }
    if ('delayMs' in r && r.delayMs) {
      recorded.held = true;
      try {
        await new Promise((ok) => setTimeout(ok, r.delayMs));
      } finally {
        recorded.held = false;
      }
    }
    const content = 'tool' in r
      ? [{ type: 'tool_use', id: `toolu_fake_${n + 1}`, name: r.name ?? (body.tool_choice as { name?: string } | undefined)?.name ?? 'tool', input: r.tool }]
      : [{ type: 'text', text: r.text }];
    const counted = opts.cache
      ? { ...countInput(body, opts.cache, cached, Date.now()), output_tokens: estimateTokens(JSON.stringify(content)) }
      : { input_tokens: 900, output_tokens: 150, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    const usage: Usage = { ...counted, ...r.usage };
    recorded.usage = usage;
    return send(res, 200, {
      id: `msg_fake_${n + 1}`,
      type: 'message',
      role: 'assistant',
      model: ('model' in r && r.model) || (body.model as string),
      content,
      stop_reason: 'tool' in r ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { type: 'error', error: { type: 'api_error', message: 'fake crashed' } }));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    modelLookups,
    models,
    aliases,
    script: (...responses) => void queue.push(...responses),
    setDefault: (r) => void (fallback = r),
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

/** Prompt caching as documented: a prefix up to the last cache_control breakpoint, at least `minimum` tokens long, is cached for `ttlMs`. */
export interface PromptCache {
  /** The model's minimum cacheable prompt, in tokens (4096 on Haiku 4.5). */
  minimum: number;
  /** Default 5 minutes; every hit refreshes it. */
  ttlMs?: number;
}

/** Deterministic stand-in for a tokenizer: about four characters a token. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

interface Part { text: string; breakpoint: boolean }

/** The request in the order the API builds the prompt (tools, system, messages), each block marked if it carries cache_control. */
function promptParts(body: RecordedRequest['body']): Part[] {
  const part = (block: unknown): Part => {
    const { cache_control, ...rest } = block as Record<string, unknown>;
    return { text: typeof rest.text === 'string' ? rest.text : JSON.stringify(rest), breakpoint: cache_control !== undefined };
  };
  const blocks = (content: unknown): Part[] => (typeof content === 'string' ? [{ text: content, breakpoint: false }] : Array.isArray(content) ? content.map(part) : []);
  return [
    ...(Array.isArray(body.tools) ? body.tools.map(part) : []),
    ...blocks(body.system),
    ...body.messages.flatMap((m) => blocks(m.content)),
  ];
}

/**
 * input_tokens, cache_creation_input_tokens and cache_read_input_tokens for one request. Only the last
 * breakpoint is looked up (the API also tries earlier ones); a prefix under the minimum is not cached
 * and counts entirely as input_tokens, as the API does.
 */
export function countInput(body: RecordedRequest['body'], cache: PromptCache, entries: Map<string, number>, now: number): Omit<Usage, 'output_tokens'> {
  const parts = promptParts(body);
  const tokens = parts.map((p) => estimateTokens(p.text));
  const total = tokens.reduce((a, b) => a + b, 0);
  const last = parts.map((p) => p.breakpoint).lastIndexOf(true);
  const prefix = tokens.slice(0, last + 1).reduce((a, b) => a + b, 0);
  if (last < 0 || prefix < cache.minimum) return { input_tokens: total, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const key = createHash('sha256').update(JSON.stringify([body.model, parts.slice(0, last + 1)])).digest('hex');
  const hit = (entries.get(key) ?? 0) > now;
  entries.set(key, now + (cache.ttlMs ?? 300_000));
  return { input_tokens: total - prefix, cache_creation_input_tokens: hit ? 0 : prefix, cache_read_input_tokens: hit ? prefix : 0 };
}
