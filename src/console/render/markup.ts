import escapeHtml from 'escape-html';

/** The console renderer's markup helpers: Slack's escapes decoded, attributes quoted, links only to safe schemes. */
export { escapeHtml };

/** Slack's three escapes (the only ones Slack defines) back to the characters they stand for. */
export function decodeSlack(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

export const attr = (name: string, value: string) => ` ${name}="${escapeHtml(value)}"`;

// ---------------------------------------------------------------------------------------------------------------
// Links

export const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
export const WEB_SCHEMES = new Set(['http:', 'https:']);

/** The normalised URL when `raw` is an absolute URL with one of `schemes`; null for anything else (javascript:, data:, relative). */
export function safeUrl(raw: string, schemes: ReadonlySet<string>): string | null {
  // Browsers strip leading control characters and whitespace ("\u0001javascript:"); such a URL is refused, not cleaned.
  if (/[\u0000-\u0020\u007f-\u009f]/.test(raw) || raw.length > 4000) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return schemes.has(url.protocol) ? url.href : null;
}

export function link(href: string, labelHtml: string, cls = 'bk-link'): string {
  return `<a${attr('class', cls)}${attr('href', href)} rel="noopener noreferrer nofollow" target="_blank">${labelHtml}</a>`;
}
