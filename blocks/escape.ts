import { clipText } from '../src/core/text.ts';

/**
 * Slack mrkdwn treats `<…>` as mentions and links and `&` as an entity start, so any text we did not
 * write is escaped before it reaches a message: `<!channel>`, `<@U123>` and `<https://x|y>` stay inert.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts to at most `max` characters with an ellipsis, never leaving half an `&amp;` entity behind. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = clipText(text, Math.max(0, max - 1)).replace(/&[a-z]{0,4}$/, '');
  return `${cut}…`;
}

/** The one way untrusted text enters mrkdwn: escaped, then truncated to the field's limit. */
export function safeMrkdwn(text: string | null | undefined, max: number): string {
  return truncate(escapeMrkdwn(text ?? ''), max);
}

/** plain_text fields are never parsed for mentions or links; only their length needs bounding. */
export function safePlain(text: string | null | undefined, max: number): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  return truncate(t || '—', max);
}

/** Our own timestamp token: Slack renders it in the reader's time zone, with the ISO fallback. */
export function slackDate(iso: string): string {
  const epoch = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(epoch) ? `<!date^${epoch}^{date_short_pretty} {time}|${iso}>` : escapeMrkdwn(iso);
}

/** A channel the policy names: a link when it is an id, escaped text when it is a #name. */
export function channelRef(channel: string): string {
  return /^[CG][A-Z0-9]{2,}$/.test(channel) ? `<#${channel}>` : escapeMrkdwn(channel);
}

export function mention(userId: string): string {
  // Only well-formed ids become mentions; anything else is shown as escaped text.
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}
