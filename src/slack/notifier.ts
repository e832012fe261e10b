import type { webApi } from '@slack/bolt';
import type { SlackMessage } from '../../blocks/model.ts';
import type { Db } from '../store/db.ts';
import { toUpstreamError } from './slackErrors.ts';

/** Every message we post carries this metadata, so a message whose post had an unknown outcome can be found again. */
export const POST_EVENT_TYPE = 'lead_triage_post';

export interface SlackPost {
  channel: string;
  message: SlackMessage;
  threadTs?: string;
  /** Unique per message that must exist once (the outbox effect's dedupe key). */
  key: string;
  leadId: string | null;
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

/** How cards reach Slack: the Web API, or (embedded default, no token) a local table. */
export interface Notifier {
  readonly mode: 'slack' | 'recorded';
  post(p: SlackPost): Promise<PostedMessage>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** The message posted with `key` in this channel (or this thread) at or after `sinceMs`, if there is one. */
  find(channel: string, key: string, sinceMs: number, threadTs?: string): Promise<PostedMessage | null>;
  /** The direct-message channel with this user (conversations.open is idempotent), so a DM can be found again like any post. */
  openDm(userId: string): Promise<string>;
  /** Notes that this message is about this lead (see indexLeadPosts). */
  remember?(leadId: string, posted: PostedMessage): void;
}

const HISTORY_PAGES = 10;

interface HistoryMessage { ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }

/**
 * The Web API through a client that never retries on its own: a retried post that Slack had already
 * accepted is a second card. The outbox retries instead, after looking for the first one.
 */
export function webNotifier(client: webApi.WebClient): Notifier {
  return {
    mode: 'slack',
    async post({ channel, message, threadTs, key, leadId }) {
      try {
        // unfurl off: a lead's website must not make Slack fetch it on our behalf.
        const res = await client.chat.postMessage({
          channel, text: message.text, blocks: message.blocks as never, unfurl_links: false, unfurl_media: false, ...(threadTs ? { thread_ts: threadTs } : {}),
          metadata: { event_type: POST_EVENT_TYPE, event_payload: { key, ...(leadId ? { lead_id: leadId } : {}) } },
        });
        return { channel: res.channel ?? channel, ts: String(res.ts) };
      } catch (err) {
        throw toUpstreamError(err);
      }
    },
    async update(channel, ts, message) {
      try {
        await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks as never });
      } catch (err) {
        throw toUpstreamError(err);
      }
    },
    async openDm(userId) {
      try {
        const res = await client.conversations.open({ users: userId });
        if (!res.channel?.id) throw new Error('conversations.open returned no channel');
        return res.channel.id;
      } catch (err) {
        throw toUpstreamError(err);
      }
    },
    async find(channel, key, sinceMs, threadTs) {
      const oldest = (sinceMs / 1000).toFixed(6);
      let cursor: string | undefined;
      try {
        for (let page = 0; page < HISTORY_PAGES; page++) {
          const args = { channel, oldest, limit: 200, include_all_metadata: true, ...(cursor ? { cursor } : {}) };
          const res = threadTs ? await client.conversations.replies({ ...args, ts: threadTs }) : await client.conversations.history(args);
          const hit = (res.messages as HistoryMessage[] | undefined)?.find((m) => m.metadata?.event_type === POST_EVENT_TYPE && m.metadata.event_payload?.key === key);
          if (hit?.ts) return { channel, ts: hit.ts };
          cursor = res.response_metadata?.next_cursor || undefined;
          if (!cursor) return null;
        }
      } catch (err) {
        throw toUpstreamError(err);
      }
      return null;
    },
  };
}

/** "Slack calls recorded locally": every message is kept in slack_recorded for inspection. */
export function recordedNotifier(db: Db): Notifier {
  const insert = db.prepare('INSERT INTO slack_recorded (method, channel, ts, body_json, at) VALUES (?, ?, ?, ?, ?)');
  return {
    mode: 'recorded',
    async post({ channel, message, threadTs, key, leadId }) {
      const seq = db.prepare('SELECT COALESCE(MAX(id), 0) + 1 FROM slack_recorded').pluck().get() as number;
      const ts = `local.${seq}`;
      const metadata = { event_type: POST_EVENT_TYPE, event_payload: { key, ...(leadId ? { lead_id: leadId } : {}) } };
      insert.run('chat.postMessage', channel, ts, JSON.stringify({ ...message, ...(threadTs ? { thread_ts: threadTs } : {}), metadata }), new Date().toISOString());
      return { channel, ts };
    },
    async update(channel, ts, message) {
      insert.run('chat.update', channel, ts, JSON.stringify(message), new Date().toISOString());
    },
    async openDm(userId) {
      return `D${userId}`;
    },
    async find(channel, key, sinceMs) {
      const ts = db.prepare(`SELECT ts FROM slack_recorded WHERE method = 'chat.postMessage' AND channel = ? AND at >= ?
        AND json_extract(body_json, '$.metadata.event_payload.key') = ? ORDER BY id LIMIT 1`).pluck().get(channel, new Date(sinceMs).toISOString(), key) as string | undefined;
      return ts ? { channel, ts } : null;
    },
  };
}

/**
 * Keeps where each message about a lead was posted (slack_posts), so erasing the lead can replace every one of them
 * in place: the card, its thread replies, the owner's DM.
 */
export function indexLeadPosts(db: Db, notifier: Notifier): Notifier {
  const remember = db.prepare('INSERT INTO slack_posts (channel, ts, lead_id, posted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  return { ...notifier, remember: (leadId, posted) => void remember.run(posted.channel, posted.ts, leadId, new Date().toISOString()) };
}
