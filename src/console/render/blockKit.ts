/**
 * Block Kit → HTML for the console: a card drawn as Slack draws it, for the blocks and elements our builders in
 * blocks/ emit (header, section with text/fields/accessory, context, actions, divider, image, and a modal's input
 * blocks), with Slack's mrkdwn (https://api.slack.com/reference/surfaces/formatting).
 *
 * Everything that comes from a block is text: Slack's own escapes (`&amp; &lt; &gt;`) are decoded to characters and
 * the result is HTML-escaped on output, so the only markup in the result is the markup written here. Links are
 * made for http/https/mailto targets only. Pure: no I/O, no clock, and it never throws on a malformed block.
 */

import { WEB_SCHEMES, attr, escapeHtml, link, safeUrl } from './markup.ts';
import { lookup, renderMrkdwn } from './mrkdwn.ts';

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

export { escapeHtml } from './markup.ts';
export { renderMrkdwn } from './mrkdwn.ts';

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
