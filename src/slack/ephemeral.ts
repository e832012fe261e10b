import type { webApi } from '@slack/bolt';
import type { Logger } from '../observability/logger.ts';

/** Tells one user something in the channel they clicked in; a failure here is logged, never thrown. */
export async function tellUser(client: webApi.WebClient, logger: Logger, channel: string | null | undefined, user: string, text: string): Promise<void> {
  if (!channel) return;
  try {
    await client.chat.postEphemeral({ channel, user, text });
  } catch (err) {
    logger.warn({ err: (err as Error).message, channel, user }, 'ephemeral reply failed');
  }
}
