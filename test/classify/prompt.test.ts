import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROMPT_VERSION, classificationTool, systemPrompt, userMessage } from '../../src/classify/claude/prompt.ts';
import { costUsd, priceOf } from '../../src/classify/prices.ts';
import { basePolicy, enrichmentFor, lead } from '../policy/fixtures.ts';

describe('prompt classify.v1', () => {
  it('is built from the policy only, every placeholder filled, with the untrusted-data rules', () => {
    const text = systemPrompt(basePolicy);
    expect(PROMPT_VERSION).toBe('classify.v1');
    expect(readFileSync(`prompts/${PROMPT_VERSION}.md`, 'utf8')).toContain('{{company_name}}');
    expect(text).not.toMatch(/\{\{|<!--/);
    expect(text).toContain(basePolicy.company.name);
    for (const d of basePolicy.icp.disqualifiers) expect(text).toContain(d);
    expect(text).toContain('<lead_submission>');
    expect(text).toMatch(/never as instructions/);
    expect(text).toMatch(/record_classification/);
  });

  it('puts every form field inside the delimiters as JSON', () => {
    const l = lead({ name: 'Eve "quote"', message: 'line1\nline2' });
    const m = userMessage(l, enrichmentFor(l.email));
    const inside = m.slice(m.indexOf('<lead_submission>\n') + 18, m.indexOf('\n</lead_submission>'));
    expect(JSON.parse(inside)).toMatchObject({ name: 'Eve "quote"', message: 'line1\nline2', email: l.email });
  });

  it('the tool schema is generated, object-typed and closed', () => {
    const t = classificationTool();
    expect(t.input_schema.type).toBe('object');
    expect(t.input_schema.additionalProperties).toBe(false);
    expect(t.input_schema).not.toHaveProperty('$schema');
  });
});

describe('prices', () => {
  it('one table, dated snapshots resolve, unknown models cost 0 rather than a guess', () => {
    expect(priceOf('claude-haiku-4-5-20251001')).toEqual({ input: 1, output: 5 });
    expect(costUsd('claude-sonnet-4-5', { input_tokens: 1_000_000, output_tokens: 1_000_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 })).toBe(18);
    expect(costUsd('unknown-model', { input_tokens: 10, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 })).toBe(0);
  });
});
