import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Slack Web API: POST /api/<method> with form or JSON bodies, answering `{ok:true,…}` or
 * `{ok:false,error}` as Slack does (HTTP 200), 429 + Retry-After when scripted. Every call is recorded.
 * Form fields holding JSON (blocks, view) are decoded, as Slack itself does.
 * POST /respond/<id> stands in for a slash command's response_url.
 * auth.test answers as the bot; conversations.info knows only the channels given to `setChannel`; users.info
 * knows every user except those given to `setUnknownUser`.
 */
export interface SlackCall {
  method: string;
  token: string | null;
  body: Record<string, unknown>;
  /** When the fake handled the call (epoch ms), after any `latencyMs`: for a post, when the message appeared. */
  at: number;
  /** Set when an `acceptThenHoldMs` failure answers this call: true while the answer is held back, false after. */
  held?: boolean;
}

/**
 * Scripted trouble for the next call of a method: a 429, an `ok:false` error, or (for chat.postMessage)
 * Slack accepting the message and then answering with an HTTP 5xx or only after `holdMs`.
 */
type Failure = { status: 429; retryAfter: number } | { error: string } | { acceptThenStatus: number } | { acceptThenHoldMs: number };

/** A message as Slack keeps it in a channel's history. */
export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: unknown;
  blocks: unknown;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);

export interface SlackFake {
  url: string;
  /** slackApiUrl for the SDK: `<url>/api/` */
  apiUrl: string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Messages Slack accepted (whatever it answered), in order. */
  messages: StoredMessage[];
  failNext(method: string, failure: Failure): void;
  /** Drops every scripted failure not yet used. */
  clearFailures(): void;
  setUsergroup(id: string, users: string[]): void;
  /** What users.info shows for this user (profile.email needs users:read.email in real Slack). */
  setUserProfile(id: string, profile: { email?: string; real_name?: string }, opts?: { deleted?: boolean }): void;
  /** users.info answers user_not_found for this id. */
  setUnknownUser(id: string): void;
  /**
   * A channel conversations.info knows (defaults: public, not archived, the bot a member). A private channel the
   * bot is not in answers channel_not_found, as Slack does.
   */
  setChannel(id: string, channel: FakeChannel): void;
  close(): Promise<void>;
}

export interface FakeChannel {
  name: string;
  is_member?: boolean;
  is_archived?: boolean;
  is_private?: boolean;
}

/** Socket Mode: apps.connections.open accepts only `appToken` and answers with a URL from `issueUrl`. */
export interface SlackFakeSocketOptions {
  appToken: string;
  issueUrl: () => string;
}

/** `latencyMs` (benchmarks): every call waits this long after its body arrives, before Slack acts on it and answers. */
export async function startSlackFake(opts: { token?: string; socket?: SlackFakeSocketOptions; latencyMs?: number } = {}): Promise<SlackFake> {
  const token = opts.token ?? 'xoxb-test-token';
  const calls: SlackCall[] = [];
  const failures = new Map<string, Failure[]>();
  const usergroups = new Map<string, string[]>();
  const profiles = new Map<string, { profile: Record<string, string>; deleted: boolean }>();
  const unknownUsers = new Set<string>();
  const channels = new Map<string, FakeChannel>();
  let tsCounter = 1_700_000_000;
  let seq = 0;
  // Real Slack ts: the epoch second of posting and a unique suffix (history's `oldest` filters on it).
  const messageTs = () => `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    if (opts.latencyMs) await new Promise((resolve) => setTimeout(resolve, opts.latencyMs));
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = parseBody(raw, req.headers['content-type'] ?? '');
    if (path.startsWith('/respond/')) {
      calls.push({ method: 'response_url', token: null, body: { ...body, response_path: path }, at: Date.now() });
      return send(res, 200, { ok: true });
    }
    const method = path.replace(/^\/api\//, '');
    const auth = req.headers.authorization;
    const given = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof body.token === 'string' ? body.token : null;
    const call: SlackCall = { method, token: given, body, at: Date.now() };
    calls.push(call);
    const scripted = failures.get(method)?.shift();
    if (scripted && ('acceptThenStatus' in scripted || 'acceptThenHoldMs' in scripted)) return acceptThen(res, body, scripted, call);
    if (scripted && 'status' in scripted) {
      res.writeHead(429, { 'Retry-After': String(scripted.retryAfter), 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    if (scripted) return send(res, 200, { ok: false, error: scripted.error });
    if (method === 'apps.connections.open') return send(res, 200, openConnection(opts.socket, given));
    if (!given) return send(res, 200, { ok: false, error: 'not_authed' });
    if (given !== token) return send(res, 200, { ok: false, error: 'invalid_auth' });
    const channel = typeof body.channel === 'string' ? body.channel : undefined;
    switch (method) {
      case 'auth.test':
        return send(res, 200, { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'lead-triage', team_id: 'T0FAKE001', user_id: 'U0BOT0001', bot_id: 'B0BOT0001', is_enterprise_install: false });
      case 'conversations.info': {
        const c = channel ? channels.get(channel) : undefined;
        if (!channel || !c || (c.is_private && c.is_member === false)) return send(res, 200, { ok: false, error: 'channel_not_found' });
        return send(res, 200, { ok: true, channel: conversation(channel, c) });
      }
      case 'chat.postMessage': {
        if (!channel) return send(res, 200, { ok: false, error: 'channel_not_found' });
        const m = store(body);
        return send(res, 200, { ok: true, channel, ts: m.ts, message: { type: 'message', text: body.text, ts: m.ts } });
      }
      case 'conversations.history':
      case 'conversations.replies':
        if (!channel) return send(res, 200, { ok: false, error: 'channel_not_found' });
        return send(res, 200, history(method, body));
      case 'conversations.open': {
        // Real Slack answers the same D… id for the same user every time.
        const user = typeof body.users === 'string' ? body.users : '';
        if (!/^[UW][A-Z0-9]+$/.test(user)) return send(res, 200, { ok: false, error: 'user_not_found' });
        return send(res, 200, { ok: true, channel: { id: `D${user.slice(1)}` } });
      }
      case 'chat.update':
        if (!channel || typeof body.ts !== 'string') return send(res, 200, { ok: false, error: 'message_not_found' });
        return send(res, 200, { ok: true, channel, ts: body.ts, text: body.text });
      case 'chat.postEphemeral':
        if (!channel || typeof body.user !== 'string') return send(res, 200, { ok: false, error: 'user_not_in_channel' });
        return send(res, 200, { ok: true, message_ts: `${tsCounter++}.000200` });
      case 'views.open':
      case 'views.publish':
        if (!body.view) return send(res, 200, { ok: false, error: 'invalid_arguments' });
        return send(res, 200, { ok: true, view: { id: `V${tsCounter++}`, ...(body.view as object) } });
      case 'usergroups.users.list': {
        const users = usergroups.get(String(body.usergroup));
        return send(res, 200, users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' });
      }
      case 'users.info': {
        if (unknownUsers.has(String(body.user))) return send(res, 200, { ok: false, error: 'user_not_found' });
        const known = profiles.get(String(body.user));
        const name = `user-${String(body.user).toLowerCase()}`;
        return send(res, 200, {
          ok: true,
          user: { id: body.user, team_id: 'T0FAKE001', name, deleted: known?.deleted ?? false, tz: 'UTC', is_bot: false, profile: { real_name: name, display_name: name, ...known?.profile } },
        });
      }
      default:
        return send(res, 200, { ok: false, error: 'unknown_method' });
    }
  };

  const messages: StoredMessage[] = [];
  function store(body: Record<string, unknown>): StoredMessage {
    const m: StoredMessage = {
      channel: String(body.channel), ts: messageTs(), text: body.text, blocks: body.blocks,
      ...(typeof body.thread_ts === 'string' ? { thread_ts: body.thread_ts } : {}),
      ...(body.metadata ? { metadata: body.metadata as StoredMessage['metadata'] } : {}),
    };
    messages.push(m);
    return m;
  }

  /** Accepted, then the answer goes wrong: the message exists in Slack whatever the client hears. */
  function acceptThen(res: ServerResponse, body: Record<string, unknown>, f: { acceptThenStatus: number } | { acceptThenHoldMs: number }, call?: SlackCall): void {
    const m = store(body);
    if ('acceptThenStatus' in f) return send(res, f.acceptThenStatus, { ok: false, error: 'internal_error' });
    if (call) call.held = true;
    setTimeout(() => { if (call) call.held = false; if (!res.destroyed) send(res, 200, { ok: true, channel: m.channel, ts: m.ts }); }, f.acceptThenHoldMs);
  }

  /** Newest first, after `oldest`, paged by a cursor of `limit` messages; metadata only with include_all_metadata. */
  function history(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const oldest = Number(body.oldest ?? 0);
    const inThread = method === 'conversations.replies';
    const all = messages
      .filter((m) => m.channel === body.channel && Number(m.ts) > oldest)
      .filter((m) => (inThread ? m.thread_ts === body.ts || m.ts === body.ts : !m.thread_ts))
      .sort((a, b) => Number(b.ts) - Number(a.ts));
    const start = Number(body.cursor ?? 0);
    const limit = Number(body.limit ?? 100);
    const withMeta = body.include_all_metadata === true || body.include_all_metadata === 'true';
    const page = all.slice(start, start + limit).map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}), ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) }));
    const more = start + limit < all.length;
    return { ok: true, messages: page, has_more: more, response_metadata: { next_cursor: more ? String(start + limit) : '' } };
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { ok: false, error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiUrl: `${url}/api/`,
    calls,
    messages,
    callsTo: (method) => calls.filter((c) => c.method === method),
    failNext: (method, failure) => failures.set(method, [...(failures.get(method) ?? []), failure]),
    clearFailures: () => failures.clear(),
    setUsergroup: (id, users) => usergroups.set(id, users),
    setUserProfile: (id, profile, o = {}) => profiles.set(id, { profile: { ...profile }, deleted: o.deleted ?? false }),
    setUnknownUser: (id) => void unknownUsers.add(id),
    setChannel: (id, c) => void channels.set(id, { ...c }),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** conversations.info's conversation object for a channel, as Slack documents it for a bot token. */
function conversation(id: string, c: FakeChannel): Record<string, unknown> {
  const isPrivate = c.is_private ?? false;
  return {
    id, name: c.name, is_channel: !isPrivate, is_group: isPrivate, is_im: false, is_mpim: false, is_private: isPrivate,
    created: 1_449_252_889, creator: 'U0CREATOR1', is_archived: c.is_archived ?? false, is_general: false, unlinked: 0,
    name_normalized: c.name, is_shared: false, is_org_shared: false, is_ext_shared: false, is_pending_ext_shared: false,
    pending_shared: [], parent_conversation: null, context_team_id: 'T0FAKE001', is_member: c.is_member ?? true,
    topic: { value: '', creator: '', last_set: 0 }, purpose: { value: '', creator: '', last_set: 0 }, previous_names: [],
  };
}

/** App-level tokens (xapp-) only: Slack refuses a bot token here with not_allowed_token_type. */
function openConnection(socket: SlackFakeSocketOptions | undefined, given: string | null): Record<string, unknown> {
  if (!given) return { ok: false, error: 'not_authed' };
  if (!given.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
  if (!socket || given !== socket.appToken) return { ok: false, error: 'invalid_auth' };
  return { ok: true, url: socket.issueUrl() };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.startsWith('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v;
  return out;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
