import { Duration } from 'luxon';
import { html, type Html } from './html.ts';

export interface PageContext {
  /** The path of the page, to mark its tab. */
  path: string;
  /** Why buttons are off, when they are (Slack is connected); null when the console acts as the operator. */
  readOnly: string | null;
  operator: string;
  /** This browser's form token, for every POST form. */
  csrf: string;
  /** A person's name from the policy's people, for Slack-style mentions. */
  nameOf: (userId: string) => string | undefined;
}

const TABS: Array<[string, string]> = [['/', 'Leads'], ['/reviews', 'Review queue'], ['/figures', 'Figures']];

export function page(ctx: PageContext, title: string, body: Html, scripts: string[] = []): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · lead-triage</title>
<link rel="stylesheet" href="/console/assets/console.css">
<link rel="icon" href="data:,">
${scripts.map((s) => html`<script src="/console/assets/${s}" defer></script>`)}
</head>
<body>
<header class="top">
  <strong class="brand">lead-triage</strong>
  <nav>${TABS.map(([href, label]) => html`<a href="${href}"${ctx.path === href ? html` aria-current="page"` : ''}>${label}</a>`)}</nav>
  <span class="who">${ctx.readOnly ? 'read-only' : html`acting as <code>${ctx.operator}</code> (local operator)`}</span>
</header>
${ctx.readOnly ? html`<p class="banner">${ctx.readOnly}</p>` : ''}
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** A POST button: our own path and fixed field names, with this browser's form token. */
export function postButton(ctx: PageContext, action: string, label: string, style: 'primary' | 'danger' | null = null): Html {
  return html`<form method="post" action="${action}" class="inline"><input type="hidden" name="csrf" value="${ctx.csrf}"><button type="submit"${style ? html` class="bk-button bk-${style}"` : html` class="bk-button"`}>${label}</button></form>`;
}

/** "3 min", "2 hr, 5 min", "4 days, 3 hr": how long something has waited, to its two largest units. */
export function age(from: string | number, now: number): string {
  const ms = Math.max(0, now - (typeof from === 'number' ? from : Date.parse(from)));
  const units = Duration.fromMillis(ms).shiftTo('days', 'hours', 'minutes').toObject();
  const shown = Object.entries(units).map(([unit, n]) => [unit, Math.floor(n)] as const).filter(([, n]) => n > 0).slice(0, 2);
  return Duration.fromObject(shown.length ? Object.fromEntries(shown) : { minutes: 0 }).toHuman({ unitDisplay: 'short' });
}
