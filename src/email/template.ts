import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../core/errors.ts';

export interface EmailTemplate {
  name: string;
  subject: string;
  body: string;
}

export interface AckVariables {
  first_name: string;
  company: string;
  /** The lead's owner, from the policy's people; empty when nobody owns it yet. */
  assignee_name: string;
  assignee_booking_url: string;
  /** "You can book a time with Ana directly: https://…", or empty when the owner has no booking link. */
  booking_line: string;
}

/** The owner's part of the variables: our policy's text, never the prospect's. */
export function assigneeVariables(person: { name: string; booking_url?: string | undefined } | null): Pick<AckVariables, 'assignee_name' | 'assignee_booking_url' | 'booking_line'> {
  const url = person?.booking_url ?? '';
  return {
    assignee_name: person?.name ?? '',
    assignee_booking_url: url,
    booking_line: person && url ? `You can book a time with ${person.name} directly: ${url}` : '',
  };
}

/** Where `email.template` names a file (`<name>.txt`): the package's own folder, wherever the command runs from. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../data/templates/email', import.meta.url));

const NAME_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Reads `<dir>/<name>.txt`: a `Subject:` line, a blank line, then the plain-text body. Fails at start-up, not at send time. */
export function loadTemplate(dir: string, name: string): EmailTemplate {
  if (!NAME_RE.test(name)) throw new AppError('config_invalid', `email template name "${name}" is not a plain file name`, 'email.template');
  let text: string;
  try {
    text = readFileSync(join(dir, `${name}.txt`), 'utf8');
  } catch {
    throw new AppError('config_invalid', `email template ${join(dir, `${name}.txt`)} not found`, 'email.template');
  }
  const match = /^Subject:[ \t]*(.+)\r?\n\r?\n([\s\S]+)$/.exec(text);
  if (!match) throw new AppError('config_invalid', `email template ${name}: expected "Subject: …", a blank line, then the body`, 'email.template');
  return { name, subject: match[1]!.trim(), body: match[2]!.replace(/\s+$/, '\n') };
}

/**
 * The prospect's name as it may appear in our email: letters, marks, spaces, apostrophes, dots and
 * hyphens only (no URLs, no markup, no line breaks), first word, at most 40 characters.
 */
export function safeFirstName(name: string | null): string {
  const cleaned = (name ?? '').normalize('NFC').replace(/\S*(?:\/\/|www\.|@)\S*/gi, ' ').replace(/[^\p{L}\p{M}' .-]/gu, ' ').trim().split(/\s+/)[0] ?? '';
  const limited = cleaned.replace(/\.{2,}/g, '.').slice(0, 40);
  return /\p{L}/u.test(limited) ? limited : 'there';
}

/** Fills only known placeholders; an unknown one is an error in the template, not something to send. */
export function renderTemplate(t: EmailTemplate, vars: AckVariables): { subject: string; text: string } {
  const fill = (s: string) =>
    s.replace(PLACEHOLDER, (_, key: string) => {
      if (!(key in vars)) throw new AppError('config_invalid', `email template ${t.name}: unknown placeholder {{${key}}}`, 'email.template');
      return vars[key as keyof AckVariables];
    });
  // An empty variable on a line of its own leaves no gap of blank lines behind.
  return { subject: fill(t.subject).replace(/[\r\n]+/g, ' '), text: fill(t.body).replace(/\n{3,}/g, '\n\n') };
}
