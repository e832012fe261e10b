/**
 * The speed benchmark's vendors, in a process of their own so that neither the bench's nor the server's
 * event loop distorts their timing: HubSpot, People Data Labs, Anthropic and Slack fakes on 127.0.0.1,
 * each answering after a fixed delay.
 *
 *   node --import tsx test/bench/speed-fakes.ts --model-ms 1200 --hubspot-ms 150 --pdl-ms 300 --slack-ms 100
 *
 * Prints one line of JSON on stdout with the URLs and credentials, then answers the parent over IPC:
 *   {id, type: 'companies', domains}  → PDL knows these domains (a 120-person software company each)
 *   {id, type: 'cards', from}         → Slack chat.postMessage calls from index `from`: {lead_id, key, channel, at}
 *   {id, type: 'counts'}              → requests each fake received
 *   {type: 'stop'}                    → closes the fakes and exits
 * It exits by itself when the parent goes away or after --max-seconds.
 */
import { parseArgs } from 'node:util';
import { startAnthropicFake } from '../fakes/anthropic.ts';
import { HubspotFake } from '../fakes/hubspot.ts';
import { PdlFake } from '../fakes/pdl.ts';
import { startSlackFake } from '../fakes/slack.ts';
import { buyer } from '../policy/fixtures.ts';

export interface SpeedFakeUrls {
  hubspotUrl: string;
  hubspotToken: string;
  pdlUrl: string;
  pdlKey: string;
  anthropicUrl: string;
  slackApiUrl: string;
  slackToken: string;
}

export interface CardSeen {
  lead_id: string | null;
  key: string | null;
  channel: string;
  /** Epoch ms when the Slack fake accepted the message (after its delay). */
  at: number;
}

/** What the parent asks (each with an `id` the answer repeats), or `stop`. */
export type FakesQuestion = { type: 'companies'; domains: string[] } | { type: 'cards'; from: number } | { type: 'counts' };
export type FakesRequest = (FakesQuestion & { id: number }) | { type: 'stop' };

const { values } = parseArgs({
  options: {
    'model-ms': { type: 'string', default: '1200' },
    'hubspot-ms': { type: 'string', default: '150' },
    'pdl-ms': { type: 'string', default: '300' },
    'slack-ms': { type: 'string', default: '100' },
    'max-seconds': { type: 'string', default: '900' },
  },
});
const ms = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number of milliseconds ≥ 0`);
  return n;
};

const hubspot = new HubspotFake();
hubspot.latencyMs = ms('hubspot-ms');
const pdl = new PdlFake();
pdl.latencyMs = ms('pdl-ms');
const [hubspotUrl, pdlUrl, anthropic, slack] = await Promise.all([
  hubspot.start(),
  pdl.start(),
  startAnthropicFake(),
  startSlackFake({ latencyMs: ms('slack-ms') }),
]);
// A confident buyer, every time, after the model's delay.
anthropic.setDefault({ tool: buyer, delayMs: ms('model-ms') });

let stopping = false;
async function stop(code = 0): Promise<never> {
  if (!stopping) {
    stopping = true;
    await Promise.allSettled([hubspot.stop(), pdl.stop(), anthropic.close(), slack.close()]);
  }
  process.exit(code);
}
const deadline = setTimeout(() => void stop(0), ms('max-seconds') * 1000);
deadline.unref();
process.on('disconnect', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

process.on('message', (m: FakesRequest) => {
  if (m.type === 'stop') return void stop(0);
  if (m.type === 'companies') {
    for (const d of m.domains) pdl.add(d, { name: d.split('.')[0], display_name: d.split('.')[0], website: d, industry: 'computer software', employee_count: 120, size: '51-200', location: { country: 'united states' } });
    return process.send?.({ id: m.id, ok: true });
  }
  if (m.type === 'cards') {
    const cards: CardSeen[] = [];
    const calls = slack.calls;
    for (let i = m.from; i < calls.length; i++) {
      const c = calls[i]!;
      if (c.method !== 'chat.postMessage') continue;
      const payload = (c.body.metadata as { event_payload?: { key?: string; lead_id?: string } } | undefined)?.event_payload;
      cards.push({ lead_id: payload?.lead_id ?? null, key: payload?.key ?? null, channel: String(c.body.channel), at: c.at });
    }
    return process.send?.({ id: m.id, next: calls.length, cards });
  }
  if (m.type === 'counts') {
    const byMethod: Record<string, number> = {};
    for (const c of slack.calls) byMethod[c.method] = (byMethod[c.method] ?? 0) + 1;
    return process.send?.({ id: m.id, hubspot: hubspot.requests.length, pdl: pdl.requests, anthropic: anthropic.requests.length, slack: byMethod });
  }
});

const urls: SpeedFakeUrls = {
  hubspotUrl, hubspotToken: hubspot.token, pdlUrl, pdlKey: pdl.apiKey, anthropicUrl: anthropic.url, slackApiUrl: slack.apiUrl, slackToken: 'xoxb-test-token',
};
process.stdout.write(`${JSON.stringify(urls)}\n`);
