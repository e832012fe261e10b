import { LINK_SCHEMES, attr, decodeSlack, escapeHtml, link, safeUrl } from './markup.ts';
import type { MrkdwnOptions } from './blockKit.ts';

// ---------------------------------------------------------------------------------------------------------------
// Emoji: the shortcodes our builders and replies use (anything else stays as its `:name:` text, as in a plain client).

const EMOJI: Record<string, string> = {
  alarm_clock: '\u{23F0}',
  arrow_forward: '\u{25B6}\u{FE0F}',
  arrows_counterclockwise: '\u{1F504}',
  bust_in_silhouette: '\u{1F464}',
  crescent_moon: '\u{1F319}',
  double_vertical_bar: '\u{23F8}\u{FE0F}',
  eyes: '\u{1F440}',
  heavy_check_mark: '\u{2714}\u{FE0F}',
  hourglass: '\u{231B}',
  hourglass_flowing_sand: '\u{23F3}',
  inbox_tray: '\u{1F4E5}',
  information_source: '\u{2139}\u{FE0F}',
  large_green_circle: '\u{1F7E2}',
  large_orange_circle: '\u{1F7E0}',
  lock: '\u{1F512}',
  no_entry: '\u{26D4}',
  no_entry_sign: '\u{1F6AB}',
  palm_tree: '\u{1F334}',
  raising_hand: '\u{1F64B}',
  red_circle: '\u{1F534}',
  repeat: '\u{1F501}',
  rotating_light: '\u{1F6A8}',
  tada: '\u{1F389}',
  warning: '\u{26A0}\u{FE0F}',
  wave: '\u{1F44B}',
  white_check_mark: '\u{2705}',
  white_circle: '\u{26AA}',
  x: '\u{274C}',
};

// ---------------------------------------------------------------------------------------------------------------
// mrkdwn

/**
 * The parser's unit: one character of decoded text, or one `<…>` entity already rendered to HTML. Entities are
 * atomic, so formatting markers around them work (`*<@U1>*`) and nothing inside them is read as formatting.
 */
type Atom = string | { html: string };

const isChar = (a: Atom | undefined, c: string): boolean => a === c;
const isSpace = (a: Atom | undefined): boolean => typeof a === 'string' && /\s/.test(a);
const isWordChar = (a: Atom | undefined): boolean => typeof a === 'string' && /[\p{L}\p{N}]/u.test(a);

function renderEntity(body: string, opts: MrkdwnOptions): string {
  const bar = body.indexOf('|');
  const target = bar < 0 ? body : body.slice(0, bar);
  const label = bar < 0 ? null : decodeSlack(body.slice(bar + 1));
  const span = (cls: string, text: string) => `<span${attr('class', cls)}>${escapeHtml(text)}</span>`;

  if (target.startsWith('@')) {
    const id = target.slice(1);
    return span('bk-mention', `@${lookup(opts, id) ?? (label || id)}`);
  }
  if (target.startsWith('#')) return span('bk-channel', `#${label || target.slice(1)}`);
  if (target.startsWith('!')) {
    const [command = '', ...args] = target.slice(1).split('^');
    if (command === 'here' || command === 'channel' || command === 'everyone') return span('bk-broadcast', `@${command}`);
    if (command === 'subteam') return span('bk-mention bk-usergroup', label ? (label.startsWith('@') ? label : `@${label}`) : `@${args[0] ?? 'group'}`);
    if (command === 'date') {
      const epoch = Number(args[0]);
      const when = Number.isSafeInteger(epoch) && Math.abs(epoch) < 8.64e12 ? new Date(epoch * 1000).toISOString() : null;
      const text = label || when || '';
      return `<time class="bk-date"${when ? attr('datetime', when) : ''}>${escapeHtml(text)}</time>`;
    }
    return span('bk-entity', label ?? `<${decodeSlack(target)}>`);
  }
  const url = safeUrl(decodeSlack(target), LINK_SCHEMES);
  // Slack shows a bare mailto link as the address alone.
  if (url) return link(url, escapeHtml(label || decodeSlack(target).replace(/^mailto:/i, '')));
  // Not a scheme we link (javascript:, data:, a bare word): what Slack would show as the label, as text.
  return span('bk-text-link', label || decodeSlack(target));
}

/** A user id's display name through the caller's lookup; a lookup that throws shows the id. */
export function lookup(opts: MrkdwnOptions, id: string): string | undefined {
  try {
    return opts.userName?.(id) || undefined;
  } catch {
    return undefined;
  }
}

/** Raw mrkdwn → atoms: `<…>` with no `<` or `>` inside is an entity; an unclosed `<` is a character like any other. */
function lex(text: string, opts: MrkdwnOptions): Atom[] {
  const atoms: Atom[] = [];
  const re = /<([^<>]*)>/g;
  let last = 0;
  const pushText = (s: string) => {
    for (const c of decodeSlack(s.replace(/\r\n?/g, '\n'))) atoms.push(c);
  };
  for (let m = re.exec(text); m; m = re.exec(text)) {
    pushText(text.slice(last, m.index));
    if (m[1]) atoms.push({ html: renderEntity(m[1], opts) });
    else atoms.push('<', '>');
    last = re.lastIndex;
  }
  pushText(text.slice(last));
  return atoms;
}

/** Atoms as escaped text, entities as their HTML (code spans and blocks: no formatting inside). */
function literal(atoms: readonly Atom[]): string {
  return atoms.map((a) => (typeof a === 'string' ? escapeHtml(a) : a.html)).join('');
}

const MARKS: Record<string, string> = { '*': 'strong', _: 'em', '~': 'del' };

/** The closing marker for an opening one at `open`, or -1: not after a space, not before a word character. */
function closer(atoms: readonly Atom[], open: number, mark: string): number {
  for (let j = open + 2; j < atoms.length; j++) {
    if (isChar(atoms[j], mark) && !isSpace(atoms[j - 1]) && !isWordChar(atoms[j + 1])) return j;
  }
  return -1;
}

/** One line's inline formatting: `code`, *bold*, _italic_, ~strike~ (nested), and :emoji:. */
function inline(atoms: readonly Atom[]): string {
  let out = '';
  let i = 0;
  // A marker with no closer after one position has none after any later one: remembered, so no line is quadratic.
  const unclosed = new Set<string>();
  while (i < atoms.length) {
    const a = atoms[i]!;
    if (typeof a !== 'string') {
      out += a.html;
      i++;
      continue;
    }
    if (a === '`' && !unclosed.has(a)) {
      const end = atoms.indexOf('`', i + 2);
      if (end < 0) unclosed.add(a);
      else {
        out += `<code class="bk-code">${literal(atoms.slice(i + 1, end))}</code>`;
        i = end + 1;
        continue;
      }
    }
    const tag = MARKS[a];
    if (tag && !unclosed.has(a) && !isWordChar(atoms[i - 1]) && atoms[i + 1] !== undefined && !isSpace(atoms[i + 1]) && !isChar(atoms[i + 1], a)) {
      const end = closer(atoms, i, a);
      if (end < 0) unclosed.add(a);
      else {
        out += `<${tag}>${inline(atoms.slice(i + 1, end))}</${tag}>`;
        i = end + 1;
        continue;
      }
    }
    if (a === ':') {
      let j = i + 1;
      let name = '';
      while (j < atoms.length && j - i <= 40 && typeof atoms[j] === 'string' && /[a-z0-9_+-]/.test(atoms[j] as string)) name += atoms[j++] as string;
      const emoji = isChar(atoms[j], ':') ? EMOJI[name] : undefined;
      if (emoji) {
        out += `<span class="bk-emoji"${attr('title', `:${name}:`)}>${emoji}</span>`;
        i = j + 1;
        continue;
      }
    }
    out += escapeHtml(a);
    i++;
  }
  return out;
}

function splitLines(atoms: readonly Atom[]): Atom[][] {
  const lines: Atom[][] = [[]];
  for (const a of atoms) {
    if (a === '\n') lines.push([]);
    else lines[lines.length - 1]!.push(a);
  }
  return lines;
}

/** Text outside ``` blocks: lines joined by <br>, runs of `>` lines as one quote, `>>>` quoting the rest. */
function flow(atoms: readonly Atom[]): string {
  const parts: string[] = [];
  let quote: string[] | null = null;
  let rest = false;
  const endQuote = () => {
    if (quote) parts.push(`<blockquote class="bk-quote">${quote.join('<br>')}</blockquote>`);
    quote = null;
  };
  for (const line of splitLines(atoms)) {
    let body: Atom[] | null = null;
    if (rest) body = line;
    else if (isChar(line[0], '>') && isChar(line[1], '>') && isChar(line[2], '>')) {
      rest = true;
      body = line.slice(isSpace(line[3]) ? 4 : 3);
    } else if (isChar(line[0], '>')) body = line.slice(isSpace(line[1]) ? 2 : 1);
    if (body) {
      (quote ??= []).push(inline(body));
      continue;
    }
    endQuote();
    parts.push(inline(line));
  }
  endQuote();
  // A quote is a block of its own: no <br> next to it.
  return parts.reduce((html, p, k) => {
    const blocky = p.startsWith('<blockquote') || (k > 0 && parts[k - 1]!.startsWith('<blockquote'));
    return k === 0 ? p : html + (blocky ? '' : '<br>') + p;
  }, '');
}

/** Slack mrkdwn (escaped as Slack expects, `&amp; &lt; &gt;`) → HTML in which only this renderer's tags appear. */
export function renderMrkdwn(text: string, opts: MrkdwnOptions = {}): string {
  const atoms = lex(typeof text === 'string' ? text : String(text ?? ''), opts);
  let out = '';
  let start = 0;
  let i = 0;
  const fence = (j: number) => isChar(atoms[j], '`') && isChar(atoms[j + 1], '`') && isChar(atoms[j + 2], '`');
  while (i < atoms.length) {
    if (fence(i)) {
      let end = -1;
      for (let j = i + 4; j + 2 < atoms.length; j++) {
        if (fence(j)) {
          end = j;
          break;
        }
      }
      // No closing fence after this one means none after any later one either: the rest is flow text.
      if (end < 0) break;
      let body = atoms.slice(i + 3, end);
      if (body[0] === '\n') body = body.slice(1);
      if (body[body.length - 1] === '\n') body = body.slice(0, -1);
      let before = atoms.slice(start, i);
      if (before[before.length - 1] === '\n') before = before.slice(0, -1);
      if (before.length) out += flow(before);
      out += `<pre class="bk-pre">${literal(body)}</pre>`;
      i = end + 3;
      if (atoms[i] === '\n') i++;
      start = i;
      continue;
    }
    i++;
  }
  if (start < atoms.length) out += flow(atoms.slice(start));
  return out;
}
