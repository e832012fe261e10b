import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/http/server.ts';
import { createIntake } from '../../src/intake/accept.ts';
import { createFloodGuard } from '../../src/intake/flood.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { openDb } from '../../src/store/db.ts';
import { signWebhook } from '../helpers/sign.ts';
import { SECRETS, testConfig } from './harness.ts';

let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

describe('the webhook flood guard', () => {
  it('allows the first `points` requests of an IP in its window, then answers with the wait; other IPs are unaffected', async () => {
    const guard = createFloodGuard({ points: 5, durationSec: 10 });
    const verdicts = [];
    for (let i = 0; i < 7; i++) verdicts.push(await guard('192.0.2.66'));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(verdicts[6]).toMatchObject({ allowed: false, retryAfterSec: expect.any(Number) });
    expect((verdicts[6] as { retryAfterSec: number }).retryAfterSec).toBeGreaterThanOrEqual(1);
    expect((verdicts[6] as { retryAfterSec: number }).retryAfterSec).toBeLessThanOrEqual(10);
    expect(await guard('192.0.2.67')).toEqual({ allowed: true });
  });

  it('by default lets one vendor IP deliver a burst of 500', async () => {
    const guard = createFloodGuard();
    const verdicts = await Promise.all(Array.from({ length: 500 }, () => guard('192.0.2.10')));
    expect(verdicts.every((v) => v.allowed)).toBe(true);
  });

  it('answers 429 with Retry-After at the HTTP edge before reading the body, and stores nothing', async () => {
    const db = openDb(':memory:');
    const audit = new AuditLog(db);
    const server = createHttpServer({
      db, logger: silentLogger(), metrics: createMetrics(), onEnqueued: () => undefined, slackListener: null,
      intake: createIntake({ db, audit, config: testConfig(), logger: silentLogger() }), flood: { points: 2, durationSec: 10 },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    close = async () => { await new Promise<void>((r) => server.close(() => r())); db.close(); };
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/generic`;
    const post = async (i: number) => {
      const body = JSON.stringify({ email: `f${i}@acme-widgets.example`, message: 'pricing please' });
      return fetch(url, { method: 'POST', headers: signWebhook('generic', SECRETS.generic, body), body });
    };
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await post(i));
    expect(answers.map((r) => r.status)).toEqual([202, 202, 429]);
    const limited = await answers[2]!.json() as { error: string; retry_after_seconds: number };
    expect(limited.error).toBe('rate_limited');
    expect(Number(answers[2]!.headers.get('retry-after'))).toBe(limited.retry_after_seconds);
    expect(db.prepare('SELECT COUNT(*) FROM leads').pluck().get()).toBe(2);
  });
});
