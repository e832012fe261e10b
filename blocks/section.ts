import { truncate } from './escape.ts';

/** One mrkdwn section, cut to Block Kit's 3000 characters: the text must already be escaped where it is not ours. */
export const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } });
