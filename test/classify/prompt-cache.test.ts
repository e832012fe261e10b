import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { createClassifier } from '../../src/classify/index.ts';
import { createClaudeClassifier } from '../../src/classify/claude/classifier.ts';
import { DEFAULT_RESILIENCE, createResilience } from '../../src/classify/claude/resilience.ts';
import { PROMPT_V1 } from '../../src/classify/claude/prompt.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import type { Policy } from '../../src/policy/schema.ts';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic.ts';
import { basePolicy, buyer, enrichmentFor, lead, policyWith } from '../policy/fixtures.ts';

// Haiku 4.5's caching minimum, as DESIGN's wire facts say.
const MINIMUM = 4096;
let fake: AnthropicFake;
beforeAll(async () => { fake = await startAnthropicFake({ cache: { minimum: MINIMUM } }); });
afterAll(async () => { await fake.close(); });
beforeEach(() => { fake.requests.length = 0; fake.setDefault({ tool: buyer }); });

const ctx = { lead_id: 'lead-1', correlation_id: 'corr-1' };
const leads = Array.from({ length: 4 }, (_, i) => lead({ email: `buyer${i}@firm${i}.example`, message: `We are a ${40 + i}-person SaaS team and want a demo and pricing for ${10 + i} seats.` }));
const input = (i: number, policy: Policy = basePolicy) => ({ lead: leads[i]!, enrichment: enrichmentFor(leads[i]!.email), policy });
const app = () => createClassifier({ anthropic: { apiKey: 'sk-ant-test', baseUrl: fake.url, model: 'claude-haiku-4-5' }, policy: basePolicy, logger: silentLogger() });

describe('prompt caching through the SDK (the fake counts ~4 characters a token)', () => {
  it('v2: the first lead writes the cache, the second and later read it; the version recorded is v2', async () => {
    const c = app();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await c.classify(input(i), ctx));
    const [first, ...later] = results.map((r) => r.usage);
    expect(first!.cache_creation_input_tokens).toBeGreaterThanOrEqual(MINIMUM);
    expect(first!.cache_read_input_tokens).toBe(0);
    for (const u of later) {
      expect(u.cache_read_input_tokens).toBe(first!.cache_creation_input_tokens);
      expect(u.cache_creation_input_tokens).toBe(0);
      // Only the lead's own message is uncached.
      expect(u.input_tokens).toBeLessThan(400);
    }
    expect(results.every((r) => r.prompt_version === 'classify.v2')).toBe(true);
    expect(results[1]!.cost_usd).toBeLessThan(results[0]!.cost_usd / 5);
    // What the SDK reported is what the fake answered.
    expect(fake.requests.map((q) => q.usage)).toEqual(results.map((r) => r.usage));
  });

  it('v1 sat under the minimum: every lead paid full price for the whole prompt', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: fake.url, maxRetries: 0 });
    const v1 = createClaudeClassifier({ client, model: 'claude-haiku-4-5', resilience: createResilience(DEFAULT_RESILIENCE), prompt: PROMPT_V1 });
    for (let i = 0; i < 3; i++) {
      const r = await v1.classify(input(i), ctx);
      expect(r).toMatchObject({ prompt_version: 'classify.v1', usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } });
      expect(r.usage.input_tokens).toBeGreaterThan(1000);
      expect(r.usage.input_tokens).toBeLessThan(MINIMUM);
    }
  });

  it("a policy's own examples are another prefix: written once, then read", async () => {
    const c = app();
    await c.classify(input(0), ctx);
    const own = policyWith((p) => { p.classifier.examples = Array.from({ length: 30 }, (_, i) => ({
      submission: { email: `ops${i}@harbor${i}.example`, message: `Harbor ${i} wants pricing for ${i + 20} seats and a demo for the product team.` },
      classification: { intent: 'buying' as const, recommended_action: 'auto_route_sales' as const, assigned_to: 'sales' as const, priority: 'medium' as const },
      why: 'A named company asking for pricing and a demo for a stated number of seats.',
    })); });
    const a = await c.classify(input(1, own), ctx);
    const b = await c.classify(input(2, own), ctx);
    expect(a.usage.cache_creation_input_tokens).toBeGreaterThanOrEqual(MINIMUM);
    expect(b.usage.cache_read_input_tokens).toBe(a.usage.cache_creation_input_tokens);
  });

  it('a cache entry lives 5 minutes by default; a short TTL expires and the next lead writes again', async () => {
    const short = await startAnthropicFake({ cache: { minimum: MINIMUM, ttlMs: 50 } });
    try {
      short.setDefault({ tool: buyer });
      const c = createClassifier({ anthropic: { apiKey: 'k', baseUrl: short.url, model: 'claude-haiku-4-5' }, policy: basePolicy, logger: silentLogger() });
      await c.classify(input(0), ctx);
      await new Promise((r) => setTimeout(r, 80));
      const r = await c.classify(input(1), ctx);
      expect(r.usage.cache_creation_input_tokens).toBeGreaterThan(0);
      expect(r.usage.cache_read_input_tokens).toBe(0);
    } finally {
      await short.close();
    }
  });
});
