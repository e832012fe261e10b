import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { loadPolicy } from '../../src/policy/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('HOST', () => {
  it('without HOST the server listens on loopback only; HOST=0.0.0.0 opens every interface', async () => {
    for (const [env, address] of [[{}, '127.0.0.1'], [{ HOST: '0.0.0.0' }, '0.0.0.0']] as const) {
      const config = loadConfig({ PORT: '0', DATABASE_PATH: join(dir, `${address}.sqlite`), ENRICH_WEBSITE_FETCH: 'false', ...env });
      const app = createApp({ config, loaded: loadPolicy('data/policy.json'), logger: silentLogger(), background: false });
      await app.start();
      try {
        expect((app.server.address() as AddressInfo).address).toBe(address);
        expect((await fetch(`http://127.0.0.1:${app.port()}/healthz`)).status).toBe(200);
      } finally {
        await app.stop();
      }
    }
  });
});
