import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** Every key of a log line, nested ones too, except inside a serialized error (pino names those). */
function keysOf(value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'err' ? [k] : [`${path}${k}`, ...keysOf(v, `${path}${k}.`)]));
}

describe('logs', () => {
  it('use snake_case keys on every line a lead produces, from webhook to Slack card', async () => {
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    t = await startTestApp({ slack: true, hubspot: true, anthropic: true, logger: createLogger('trace', stream) });
    const buyer = { event_id: 'evt-1', email: 'tom.becker@helixbio.example', name: 'Tom Becker', company: 'Helix Bio', message: 'Need pricing for 60 seats with SSO.' };
    await t.deliver('generic', buyer);
    await t.deliver('generic', buyer); // a redelivery logs its own line
    await t.deliver('generic', { email: 'kim@gmail.com', message: 'hi, info?' });
    await t.settle();
    expect(lines.length).toBeGreaterThan(5);
    const keys = new Set(lines.flatMap((l) => keysOf(JSON.parse(l))));
    expect(keys).toContain('lead_id');
    expect([...keys].filter((k) => !/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/.test(k))).toEqual([]);
  });
});
