import escapeHtml from 'escape-html';

const TRUSTED = Symbol('trusted html');

/** HTML we built ourselves; anything else placed in a template is escaped. */
export interface Html { readonly [TRUSTED]: true; readonly text: string }

/** Marks markup this code produced (a renderer's output) as trusted. Never pass it text from a request or the store. */
export const trusted = (text: string): Html => ({ [TRUSTED]: true, text });

const isHtml = (v: unknown): v is Html => typeof v === 'object' && v !== null && TRUSTED in v;

function piece(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(piece).join('');
  if (isHtml(value)) return value.text;
  return escapeHtml(String(value));
}

/** A template whose every interpolated value is escaped unless it is already Html: submitted text stays text. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => { out += piece(v) + strings[i + 1]!; });
  return trusted(out);
}
