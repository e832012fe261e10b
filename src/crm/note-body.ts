import type { EffectContext } from '../outbox/effect-context.ts';
import { clipText } from '../core/text.ts';

const MAX_NOTE = 4000;

/** The CRM note: what the agent concluded and why, from the stored decision (no free text from the lead beyond its summary). */
export function buildNoteBody(ctx: EffectContext): string {
  const c = ctx.classification?.classification ?? null;
  const d = ctx.decision;
  const lines = [
    `Lead triage: ${d.final_action}${d.route ? ` → ${d.route}` : ''} (priority ${d.priority})`,
    c ? `Intent: ${c.intent}; fit ${c.fit_score}/100; confidence ${c.confidence.toFixed(2)}` : 'Classification: unavailable',
    c ? `Summary: ${c.summary_for_slack}` : null,
    c ? `Reasoning: ${c.fit_reasoning}` : null,
    d.rules.length ? `Rules: ${d.rules.map((r) => `${r.rule} (${r.reason})`).join('; ')}` : null,
    `Source: ${ctx.lead.lead.source}; policy ${d.policy_hash}${ctx.classification ? `; classifier ${ctx.classification.classifier} ${ctx.classification.prompt_version}` : ''}`,
  ];
  return clipText(lines.filter((l): l is string => l !== null).join('\n'), MAX_NOTE);
}
