import { html, type Html } from '../html.ts';

/** The one page served before sign-in: a token form (POST, so the token never lands in a URL or a log). */
export function loginPage(next: string, error: string | null): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · lead-triage</title><link rel="stylesheet" href="/console/assets/console.css"><link rel="icon" href="data:,"></head>
<body><main class="login">
<h1>lead-triage console</h1>
<p>This console is reachable from other machines, so it asks for <code>CONSOLE_TOKEN</code>.</p>
${error ? html`<p class="error">${error}</p>` : ''}
<form method="post" action="/login" class="stacked">
<input type="hidden" name="next" value="${next}">
<label>Console token <input type="password" name="token" autocomplete="current-password" required></label>
<button type="submit" class="bk-button bk-primary">Sign in</button>
</form>
</main></body></html>`;
}
