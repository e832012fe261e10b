/** What `/triage <text>` asks for. Unknown input becomes `usage`, never an error. */
export type TriageCommand =
  | { cmd: 'help' | 'queue' | 'stats' | 'pause' | 'resume' }
  | { cmd: 'status'; target: string }
  | { cmd: 'reprocess'; target: string }
  | { cmd: 'usage'; input: string };

const LEAD_REF = /^(?:[A-Za-z0-9_-]{1,64}|[^\s@<>]{1,200}@[^\s@<>]{1,200})$/;

/** Slack sends a typed email as `<mailto:a@b.com|a@b.com>`; take the address back out. */
function unwrap(token: string): string {
  const m = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/.exec(token);
  return m?.[1] ?? token;
}

export function parseTriage(text: string): TriageCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, second, ...rest] = words;
  if (!first) return { cmd: 'help' };
  const verb = first.toLowerCase();
  if (words.length === 1 && (verb === 'help' || verb === 'queue' || verb === 'stats' || verb === 'pause' || verb === 'resume')) return { cmd: verb };
  if (verb === 'status' && second && rest.length === 0) {
    const target = unwrap(second);
    return LEAD_REF.test(target) ? { cmd: 'status', target } : { cmd: 'usage', input: text };
  }
  if (words.length === 1) {
    const target = unwrap(first);
    if (LEAD_REF.test(target) && (target.includes('@') || /[0-9-]/.test(target))) return { cmd: 'reprocess', target };
  }
  return { cmd: 'usage', input: text };
}
