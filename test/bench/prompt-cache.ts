import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { createClaudeClassifier } from '../../src/classify/claude/classifier.ts';
import { DEFAULT_RESILIENCE, createResilience } from '../../src/classify/claude/resilience.ts';
import { PROMPT_V1, PROMPT_V2, type PromptVersion } from '../../src/classify/claude/prompt.ts';
import { loadConfig } from '../../src/config/env.ts';
import type { CanonicalLead } from '../../src/core/lead.ts';
import { domainOnlyEnrichment } from '../../src/enrich/domain-facts.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { startAnthropicFake } from '../fakes/anthropic.ts';

export interface LeadCost { input: number; cacheRead: number; cacheWrite: number; output: number; usd: number }

/** The sample submissions (not the eval sets) as canonical leads. */
function sampleLeads(n: number): CanonicalLead[] {
  const lines = readFileSync('data/samples/leads.jsonl', 'utf8').trim().split('\n').slice(0, n);
  return lines.map((line) => {
    const s = JSON.parse(line) as Record<string, string | undefined>;
    return {
      name: s.name ?? null, email: s.email!.toLowerCase(), company: s.company ?? null, website: s.website ?? null, phone: null, message: s.message ?? '',
      source: 'bench', utm: { source: null, medium: null, campaign: null, term: null, content: null },
      submitted_at: '2026-12-01T10:00:00Z', submitter_ip: null, raw_answers: {},
    };
  });
}

/**
 * N leads classified one after another through the real SDK against the fake, which counts ~4 characters a
 * token and caches prefixes of at least 4096 tokens (Haiku 4.5's minimum); cost at the default model's prices.
 * `ttlMs: 0` stands for leads arriving further apart than the cache lives (5 minutes): every lead writes it.
 */
export async function benchPromptCache(prompt: PromptVersion, n = 20, ttlMs?: number): Promise<LeadCost[]> {
  const fake = await startAnthropicFake({ cache: { minimum: 4096, ttlMs } });
  fake.setDefault({ tool: {
    intent: 'buying', fit_score: 72, fit_reasoning: 'A named company asking for a pilot with a stated team size and budget.', confidence: 0.86,
    recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'medium', summary_for_slack: 'A logistics team wants to pilot in Q2.',
  } });
  try {
    const model = loadConfig({}).anthropic.model;
    const client = new Anthropic({ apiKey: 'sk-ant-bench', baseURL: fake.url, maxRetries: 0 });
    const classifier = createClaudeClassifier({ client, model, resilience: createResilience(DEFAULT_RESILIENCE), prompt });
    const { policy } = loadPolicy('data/policy.json');
    const out: LeadCost[] = [];
    for (const [i, lead] of sampleLeads(n).entries()) {
      const r = await classifier.classify({ lead, enrichment: domainOnlyEnrichment(lead.email), policy }, { lead_id: `bench-${i}`, correlation_id: `bench-${i}` });
      const u = r.usage;
      out.push({ input: u.input_tokens, cacheRead: u.cache_read_input_tokens, cacheWrite: u.cache_creation_input_tokens, output: u.output_tokens, usd: r.cost_usd });
    }
    return out;
  } finally {
    await fake.close();
  }
}

export async function reportPromptCache(n = 20): Promise<void> {
  const model = loadConfig({}).anthropic.model;
  const runs = [
    [PROMPT_V1, 'in a row', undefined], [PROMPT_V2, 'in a row', undefined], [PROMPT_V2, 'each over 5 minutes after the last', 0],
  ] as const;
  for (const [prompt, spacing, ttlMs] of runs) {
    const rows = await benchPromptCache(prompt, n, ttlMs);
    console.log(`${prompt.version}, ${rows.length} leads ${spacing}, ${model} prices (tokens ≈ characters / 4):`);
    console.log('lead  input  cache_read  cache_write  output  cost_usd');
    for (const [i, r] of rows.entries()) {
      console.log(`${String(i + 1).padStart(4)}  ${String(r.input).padStart(5)}  ${String(r.cacheRead).padStart(10)}  ${String(r.cacheWrite).padStart(11)}  ${String(r.output).padStart(6)}  ${r.usd.toFixed(6)}`);
    }
    const total = rows.reduce((a, r) => a + r.usd, 0);
    const later = rows.slice(1);
    console.log(`total $${total.toFixed(6)}; mean $${(total / rows.length).toFixed(6)} a lead; first $${rows[0]!.usd.toFixed(6)}, later mean $${(later.reduce((a, r) => a + r.usd, 0) / later.length).toFixed(6)}\n`);
  }
}
