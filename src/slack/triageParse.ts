type Simple = 'help' | 'queue' | 'stats' | 'pause' | 'resume' | 'who' | 'policy';
/** Which part of `ooo` could not be read, for a pointed usage line. */
export type UsageHint = 'ooo' | 'ooo_user' | 'ooo_date';

/** What `/triage <text>` asks for. Unknown input becomes `usage`, never an error. */
export type TriageCommand =
  | { cmd: Simple }
  | { cmd: 'status'; target: string }
  | { cmd: 'reprocess'; target: string }
  /** Forget the person behind an address (or one of their leads): approvers only, after a confirmation modal. */
  | { cmd: 'erase'; target: string }
  /** user null: the sender. until: a YYYY-MM-DD date, 'open' (until switched off) or 'off' (back now). */
  | { cmd: 'ooo'; user: string | null; until: { date: string } | 'open' | 'off' }
  | { cmd: 'usage'; input: string; hint?: UsageHint };

const LEAD_REF = /^(?:[A-Za-z0-9_-]{1,64}|[^\s@<>]{1,200}@[^\s@<>]{1,200})$/;
const SIMPLE: ReadonlySet<string> = new Set<Simple>(['help', 'queue', 'stats', 'pause', 'resume', 'who', 'policy']);
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
// Slack escapes a mention as `<@U123|name>` or `<@U123>`; the label may hold spaces.
const MENTION = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Slack sends a typed email as `<mailto:a@b.com|a@b.com>`; take the address back out. */
function unwrap(token: string): string {
  const m = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/.exec(token);
  return m?.[1] ?? token;
}

/** `ooo [person] [off | until YYYY-MM-DD]`; a typed `@name` Slack did not turn into an id is refused with a hint. */
function parseOoo(text: string, rest: string): TriageCommand {
  let user: string | null = null;
  const mention = MENTION.exec(rest);
  if (mention) {
    user = mention[1]!;
    rest = rest.slice(mention[0].length);
  }
  const words = rest.trim().split(/\s+/).filter(Boolean);
  const head = words[0];
  if (!mention && head !== undefined && !/^(?:off|until)$/i.test(head) && (/^<?@/.test(head) || USER_ID.test(head))) {
    if (!USER_ID.test(head)) return { cmd: 'usage', input: text, hint: 'ooo_user' };
    user = words.shift()!;
  }
  const [mode, date, ...extra] = words.map((w, i) => (i === 0 ? w.toLowerCase() : w));
  if (extra.length > 0) return { cmd: 'usage', input: text, hint: 'ooo' };
  if (mode === undefined) return { cmd: 'ooo', user, until: 'open' };
  if (mode === 'off' && date === undefined) return { cmd: 'ooo', user, until: 'off' };
  if (mode === 'until') return date !== undefined && DATE.test(date) ? { cmd: 'ooo', user, until: { date } } : { cmd: 'usage', input: text, hint: 'ooo_date' };
  return { cmd: 'usage', input: text, hint: 'ooo' };
}

export function parseTriage(text: string): TriageCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, second, ...rest] = words;
  if (!first) return { cmd: 'help' };
  const verb = first.toLowerCase();
  if (words.length === 1 && SIMPLE.has(verb)) return { cmd: verb as Simple };
  if (verb === 'ooo') return parseOoo(text, text.trim().slice(first.length).trim());
  if ((verb === 'status' || verb === 'erase') && second && rest.length === 0) {
    const target = unwrap(second);
    return LEAD_REF.test(target) ? { cmd: verb, target } : { cmd: 'usage', input: text };
  }
  if (words.length === 1) {
    const target = unwrap(first);
    if (LEAD_REF.test(target) && (target.includes('@') || /[0-9-]/.test(target))) return { cmd: 'reprocess', target };
  }
  return { cmd: 'usage', input: text };
}
