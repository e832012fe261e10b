import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local Socket Mode endpoint, speaking Slack's documented frames: on connect it sends
 * `{type:"hello", num_connections, debug_info, connection_info}`; the test pushes envelopes
 * `{envelope_id, type, payload, accepts_response_payload, retry_attempt, retry_reason}` and awaits
 * the app's ack `{envelope_id, payload?}`. Only URLs minted by issueUrl() (what apps.connections.open
 * hands out, one ticket each) are accepted, as Slack's tickets are.
 */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface SocketClose {
  code: number;
  reason: string;
}

export interface SocketModeFake {
  /** A fresh single-use connection URL, as apps.connections.open returns (ws:// here, wss:// at Slack). */
  issueUrl(): string;
  /** Connections accepted so far. */
  connections(): number;
  /** Close frames received from the app, in order. */
  closes: SocketClose[];
  /** Every frame the app sent, parsed. */
  received: unknown[];
  /** Resolves once a client is connected and has been sent hello (rejects after `ms`). */
  waitForConnection(ms?: number): Promise<void>;
  /** Sends one envelope to the connected app; `acked` resolves with its ack (rejects after `ms`). */
  push(type: EnvelopeType, payload: Record<string, unknown>, opts?: { ms?: number; acceptsResponsePayload?: boolean }): { envelopeId: string; acked: Promise<Ack> };
  /** Resolves when the current connection is closed (rejects after `ms`). */
  waitForClose(ms?: number): Promise<SocketClose>;
  /** Stops reading from the current connection, so the app's close frame is never answered (a stalled peer). */
  stall(): void;
  close(): Promise<void>;
}

export const FAKE_APP_ID = 'A0APP0001';

export async function startSocketModeFake(): Promise<SocketModeFake> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, verifyClient: (info: { req: { url?: string } }) => takeTicket(info.req.url) });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const base = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const tickets = new Set<string>();
  const waiters = new Map<string, (ack: Ack) => void>();
  const closes: SocketClose[] = [];
  const received: unknown[] = [];
  let current: WebSocket | null = null;
  let accepted = 0;
  const closeListeners: Array<(c: SocketClose) => void> = [];

  function takeTicket(url: string | undefined): boolean {
    const ticket = new URL(url ?? '/', base).searchParams.get('ticket');
    return ticket !== null && tickets.delete(ticket);
  }

  wss.on('connection', (ws) => {
    accepted++;
    current = ws;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: unknown;
      try { frame = JSON.parse(data.toString('utf8')); } catch { return; }
      received.push(frame);
      const id = (frame as { envelope_id?: unknown }).envelope_id;
      if (typeof id === 'string') waiters.get(id)?.(frame as Ack);
    });
    ws.on('close', (code, reason) => {
      const c = { code, reason: reason.toString('utf8') };
      closes.push(c);
      if (current === ws) current = null;
      for (const l of closeListeners.splice(0)) l(c);
    });
    ws.send(JSON.stringify({
      type: 'hello', num_connections: 1,
      debug_info: { host: 'applink-fake-127-0-0-1', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: FAKE_APP_ID },
    }));
  });

  return {
    issueUrl() {
      const ticket = randomUUID();
      tickets.add(ticket);
      return `${base}/link/?ticket=${ticket}&app_id=${FAKE_APP_ID}`;
    },
    connections: () => accepted,
    closes,
    received,
    waitForConnection: (ms = 10_000) => poll(() => current !== null && current.readyState === current.OPEN, ms, 'no Socket Mode connection'),
    push(type, payload, opts = {}) {
      const envelopeId = randomUUID();
      const acked = withDeadline(new Promise<Ack>((resolve) => waiters.set(envelopeId, (ack) => { waiters.delete(envelopeId); resolve(ack); })), opts.ms ?? 10_000, `no ack for ${envelopeId}`);
      if (!current) throw new Error('push: no Socket Mode connection');
      current.send(JSON.stringify({
        envelope_id: envelopeId, type, payload,
        accepts_response_payload: opts.acceptsResponsePayload ?? type === 'slash_commands',
        ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
      }));
      return { envelopeId, acked };
    },
    waitForClose(ms = 10_000) {
      if (!current) return Promise.resolve(closes[closes.length - 1] ?? { code: 1006, reason: 'never connected' });
      return withDeadline(new Promise<SocketClose>((resolve) => closeListeners.push(resolve)), ms, 'socket not closed');
    },
    stall() {
      current?.pause();
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms); });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

async function poll(cond: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
