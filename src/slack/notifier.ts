import type { webApi } from '@slack/bolt';
import type { SlackMessage } from '../../blocks/model.ts';
import type { Db } from '../store/db.ts';
import { toUpstreamError } from './slackErrors.ts';

/** How cards reach Slack: the Web API, or (embedded default, no token) a local table. */
export interface Notifier {
  readonly mode: 'slack' | 'recorded';
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
}

export function webNotifier(client: webApi.WebClient): Notifier {
  return {
    mode: 'slack',
    async post(channel, message, threadTs) {
      try {
        // unfurl off: a lead's website must not make Slack fetch it on our behalf.
        const res = await client.chat.postMessage({
          channel, text: message.text, blocks: message.blocks as never, unfurl_links: false, unfurl_media: false, ...(threadTs ? { thread_ts: threadTs } : {}),
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
  };
}

/** "Slack calls recorded locally": every message is kept in slack_recorded for inspection. */
export function recordedNotifier(db: Db): Notifier {
  const insert = db.prepare('INSERT INTO slack_recorded (method, channel, ts, body_json, at) VALUES (?, ?, ?, ?, ?)');
  return {
    mode: 'recorded',
    async post(channel, message, threadTs) {
      const seq = db.prepare('SELECT COALESCE(MAX(id), 0) + 1 FROM slack_recorded').pluck().get() as number;
      const ts = `local.${seq}`;
      insert.run('chat.postMessage', channel, ts, JSON.stringify(threadTs ? { ...message, thread_ts: threadTs } : message), new Date().toISOString());
      return { channel, ts };
    },
    async update(channel, ts, message) {
      insert.run('chat.update', channel, ts, JSON.stringify(message), new Date().toISOString());
    },
  };
}
