/**
 * Block Kit → HTML for the console: a card drawn as Slack draws it, for the blocks and elements our builders in
 * blocks/ emit (header, section with text/fields/accessory, context, actions, divider, image, and a modal's input
 * blocks), with Slack's mrkdwn (https://api.slack.com/reference/surfaces/formatting).
 *
 * Everything that comes from a block is text: Slack's own escapes (`&amp; &lt; &gt;`) are decoded to characters and
 * the result is HTML-escaped on output, so the only markup in the result is the markup written here. Links are
 * made for http/https/mailto targets only. Pure: no I/O, no clock, and it never throws on a malformed block.
 */

import escapeHtml from 'escape-html';

export interface ButtonAction {
  action_id: string;
  value?: string;
  /** The button's label as plain text (not escaped: the callback escapes what it places in its markup). */
  text: string;
  style?: string;
}

export interface RenderOptions {
  /** A Slack user id's display name; the id itself is shown when this returns undefined. */
  userName?: (id: string) => string | undefined;
  /** Trusted HTML for a clicked button (e.g. a POST form), or null for a disabled button. */
  actionForm?: (action: ButtonAction) => string | null;
}

export type MrkdwnOptions = Pick<RenderOptions, 'userName'>;

// ---------------------------------------------------------------------------------------------------------------
// Escaping

/** Text → HTML text or a quoted attribute value (escape-html: & < > " '). */
export { escapeHtml };

/** Slack's three escapes (the only ones Slack defines) back to the characters they stand for. */
function decodeSlack(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

const attr = (name: string, value: string) => ` ${name}="${escapeHtml(value)}"`;

// ---------------------------------------------------------------------------------------------------------------
// Links

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const WEB_SCHEMES = new Set(['http:', 'https:']);

/** The normalised URL when `raw` is an absolute URL with one of `schemes`; null for anything else (javascript:, data:, relative). */
function safeUrl(raw: string, schemes: ReadonlySet<string>): string | null {
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

function link(href: string, labelHtml: string, cls = 'bk-link'): string {
  return `<a${attr('class', cls)}${attr('href', href)} rel="noopener noreferrer nofollow" target="_blank">${labelHtml}</a>`;
}

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

function lookup(opts: MrkdwnOptions, id: string): string | undefined {
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

// ---------------------------------------------------------------------------------------------------------------
// Blocks

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A plain_text object's text: escaped, newlines kept, `emoji` ignored (shortcodes stay as written). */
function plainText(v: unknown): string {
  const text = isObj(v) ? str(v.text) : str(v);
  return escapeHtml(text ?? '').replace(/\r\n?|\n/g, '<br>');
}

/** The raw string of a text object, for labels handed to callbacks and option text. */
const rawText = (v: unknown): string => (isObj(v) ? str(v.text) ?? '' : str(v) ?? '');

function textObject(v: unknown, opts: RenderOptions, cls: string): string {
  if (!isObj(v)) return '';
  const body = v.type === 'mrkdwn' ? renderMrkdwn(str(v.text) ?? '', opts) : plainText(v);
  return `<div${attr('class', `${cls} bk-${v.type === 'mrkdwn' ? 'mrkdwn' : 'plain'}`)}>${body}</div>`;
}

function unknown(kind: string, what: unknown): string {
  const type = typeof what === 'string' && what ? what : 'unknown';
  return `<div class="bk-unknown">${escapeHtml(`Unsupported ${kind}: ${type}`)}</div>`;
}

function image(el: Obj, cls: string): string {
  const src = safeUrl(str(el.image_url) ?? '', WEB_SCHEMES);
  const alt = str(el.alt_text) ?? '';
  if (!src) return `<span${attr('class', `${cls} bk-image-missing`)}>${escapeHtml(alt ? `[${alt}]` : '[image]')}</span>`;
  return `<img${attr('class', cls)}${attr('src', src)}${attr('alt', alt)} loading="lazy" referrerpolicy="no-referrer">`;
}

const STYLES = new Set(['primary', 'danger']);

function button(el: Obj, opts: RenderOptions): string {
  const text = rawText(el.text);
  const style = str(el.style);
  const cls = `bk-button${style && STYLES.has(style) ? ` bk-${style}` : ''}`;
  const rawUrl = str(el.url);
  if (rawUrl !== undefined) {
    const href = safeUrl(rawUrl, WEB_SCHEMES);
    if (href) return link(href, escapeHtml(text), `${cls} bk-link-button`);
  } else if (opts.actionForm) {
    const action: ButtonAction = { action_id: str(el.action_id) ?? '', text };
    const value = str(el.value);
    if (value !== undefined) action.value = value;
    if (style !== undefined) action.style = style;
    const form = opts.actionForm(action);
    if (form !== null) return form;
  }
  return `<button type="button"${attr('class', cls)} disabled>${escapeHtml(text)}</button>`;
}

function options(el: Obj, selected: string | undefined): string {
  const option = (o: unknown) => {
    if (!isObj(o)) return '';
    const value = str(o.value) ?? '';
    return `<option${attr('value', value)}${value === selected ? ' selected' : ''}>${escapeHtml(rawText(o.text))}</option>`;
  };
  const flat = list(el.options).map(option).join('');
  const groups = list(el.option_groups)
    .map((g) => (isObj(g) ? `<optgroup${attr('label', rawText(g.label))}>${list(g.options).map(option).join('')}</optgroup>` : ''))
    .join('');
  return flat + groups;
}

/** A disabled stand-in for an interactive element: the console shows what Slack offers, the form is Slack's. */
function element(el: unknown, opts: RenderOptions): string {
  if (!isObj(el)) return unknown('element', undefined);
  const type = str(el.type) ?? '';
  const placeholder = rawText(el.placeholder);
  const selectAttrs = `${attr('class', `bk-select bk-${type.replace(/[^a-z_]/g, '')}`)}${attr('data-action-id', str(el.action_id) ?? '')} disabled`;
  switch (type) {
    case 'button':
      return button(el, opts);
    case 'image':
      return image(el, 'bk-image');
    case 'static_select':
    case 'external_select':
    case 'multi_static_select': {
      const initial = isObj(el.initial_option) ? str(el.initial_option.value) : undefined;
      const first = initial === undefined ? `<option value="" selected>${escapeHtml(placeholder || 'Select an item')}</option>` : '';
      return `<select${selectAttrs}>${first}${options(el, initial)}</select>`;
    }
    case 'users_select':
    case 'multi_users_select': {
      const user = str(el.initial_user);
      const shown = user ? `@${lookup(opts, user) ?? user}` : placeholder || 'Select a person';
      return `<select${selectAttrs}><option value="" selected>${escapeHtml(shown)}</option></select>`;
    }
    case 'conversations_select':
    case 'channels_select': {
      const chan = str(el.initial_conversation) ?? str(el.initial_channel);
      return `<select${selectAttrs}><option value="" selected>${escapeHtml(chan ? `#${chan}` : placeholder || 'Select a channel')}</option></select>`;
    }
    case 'overflow':
      return `<select${selectAttrs} aria-label="More actions"><option value="" selected>\u22EF</option>${options(el, undefined)}</select>`;
    case 'plain_text_input': {
      const value = str(el.initial_value) ?? '';
      const common = `${attr('class', 'bk-textinput')}${attr('placeholder', placeholder)} disabled`;
      return el.multiline === true ? `<textarea${common}>${escapeHtml(value)}</textarea>` : `<input type="text"${common}${attr('value', value)}>`;
    }
    case 'datepicker':
      return `<input type="date" class="bk-datepicker"${attr('value', str(el.initial_date) ?? '')} disabled>`;
    default:
      return unknown('element', type);
  }
}

function section(b: Obj, opts: RenderOptions): string {
  const text = textObject(b.text, opts, 'bk-text');
  const fields = list(b.fields);
  const fieldsHtml = fields.length ? `<div class="bk-fields">${fields.map((f) => textObject(f, opts, 'bk-field')).join('')}</div>` : '';
  const accessory = b.accessory === undefined ? '' : `<div class="bk-accessory">${element(b.accessory, opts)}</div>`;
  return `<section class="bk-section"><div class="bk-section-body">${text}${fieldsHtml}</div>${accessory}</section>`;
}

function context(b: Obj, opts: RenderOptions): string {
  const items = list(b.elements).map((el) => {
    if (!isObj(el)) return unknown('element', undefined);
    if (el.type === 'mrkdwn') return `<span class="bk-context-item bk-mrkdwn">${renderMrkdwn(str(el.text) ?? '', opts)}</span>`;
    if (el.type === 'plain_text') return `<span class="bk-context-item bk-plain">${plainText(el)}</span>`;
    if (el.type === 'image') return image(el, 'bk-context-image');
    return unknown('element', el.type);
  });
  return `<div class="bk-context">${items.join('')}</div>`;
}

function input(b: Obj, opts: RenderOptions): string {
  const optional = b.optional === true ? ' <span class="bk-optional">(optional)</span>' : '';
  const hint = b.hint === undefined ? '' : `<div class="bk-hint">${plainText(b.hint)}</div>`;
  return `<div class="bk-input"><label class="bk-label">${plainText(b.label)}${optional}</label>${element(b.element, opts)}${hint}</div>`;
}

function block(b: unknown, opts: RenderOptions): string {
  if (!isObj(b)) return unknown('block', undefined);
  switch (b.type) {
    case 'section':
      return section(b, opts);
    case 'header':
      return `<h3 class="bk-header">${plainText(b.text)}</h3>`;
    case 'context':
      return context(b, opts);
    case 'actions':
      return `<div class="bk-actions">${list(b.elements).map((el) => element(el, opts)).join('')}</div>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'image': {
      const title = b.title === undefined ? '' : `<figcaption>${plainText(b.title)}</figcaption>`;
      return `<figure class="bk-image-block">${image(b, 'bk-image')}${title}</figure>`;
    }
    case 'input':
      return input(b, opts);
    default:
      return unknown('block', b.type);
  }
}

/** A message's or view's blocks as HTML; a block this renderer does not know is named, never thrown on. */
export function renderBlocks(blocks: unknown[], opts: RenderOptions = {}): string {
  return list(blocks)
    .map((b) => {
      try {
        return block(b, opts);
      } catch {
        return unknown('block', isObj(b) ? b.type : undefined);
      }
    })
    .join('\n');
}
