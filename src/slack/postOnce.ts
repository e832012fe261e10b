import type { InflightLedger } from '../outbox/inflight.ts';
import type { Notifier, PostedMessage, SlackPost } from './notifier.ts';

/**
 * Posts a message that must exist once (a card, a reminder in its thread, the digest). After a post whose
 * outcome is unknown, the retry looks for the message by its metadata key before posting again.
 */
export async function postOnce(ledger: InflightLedger, notifier: Notifier, post: SlackPost): Promise<PostedMessage> {
  const posted = await ledger.once(post.key, 'slack_post', {
    find: (since) => notifier.find(post.channel, post.key, since, post.threadTs),
    perform: () => notifier.post(post),
  });
  if (post.leadId) notifier.remember?.(post.leadId, posted);
  return posted;
}
