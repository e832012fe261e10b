import Anthropic from '@anthropic-ai/sdk';
import type { Config } from '../../../config/env.ts';
import type { Policy } from '../../../policy/schema.ts';
import type { OnlineReport } from './index.ts';

export async function checkAnthropic(config: Config, policy: Policy, report: OnlineReport, timeoutMs: number): Promise<void> {
  const { checked, problems } = report;
  if (!config.anthropic.apiKey) return void checked.push('Anthropic: skipped (no ANTHROPIC_API_KEY)');
  const client = new Anthropic({ apiKey: config.anthropic.apiKey, baseURL: config.anthropic.baseUrl ?? 'https://api.anthropic.com', maxRetries: 1, timeout: timeoutMs, logLevel: 'off' });
  const models: Array<[string, string]> = [[config.anthropic.model, 'CLASSIFIER_MODEL']];
  const second = policy.classifier.second_opinion;
  if (second.enabled && second.model !== config.anthropic.model) models.push([second.model, 'classifier.second_opinion.model']);
  for (const [model, where] of models) {
    try {
      // Reading a model is free; it proves the key and the model id in one call.
      await client.models.retrieve(model);
      checked.push(`Anthropic model ${model}`);
    } catch (err) {
      const status = err instanceof Anthropic.APIError ? err.status : undefined;
      if (status === 401) return void problems.push('ANTHROPIC_API_KEY: Anthropic refused the key (401): create a key in the Claude Console (Settings → API keys) and set it');
      if (status === 403) return void problems.push('ANTHROPIC_API_KEY: the key may not use the API (403): check its workspace and the organization\'s access in the Claude Console');
      if (status === undefined) return void problems.push(`ANTHROPIC_API_KEY: could not be checked (no answer${err instanceof Anthropic.APIConnectionTimeoutError ? ` within ${timeoutMs / 1000} s` : ''}): check ANTHROPIC_BASE_URL and the network`);
      problems.push(`${where}: ${status === 404 ? `no model ${model} at Anthropic: name a current model id or alias (e.g. claude-haiku-4-5)` : `could not be checked at Anthropic (HTTP ${status})`}`);
    }
  }
}
