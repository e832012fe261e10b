import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FetchRefused, fetchSiteMeta, parseSiteMeta } from '../../src/enrich/website.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) { s.closeAllConnections(); await new Promise((r) => s.close(r)); }
});

/** A local server; `hits` counts requests that actually reached it. */
async function serve(host: string, handler: (path: string) => { status: number; headers?: Record<string, string>; body?: string }) {
  const state = { hits: 0, url: '' };
  const s = createServer((req, res) => {
    state.hits++;
    const r = handler(req.url ?? '/');
    res.writeHead(r.status, r.headers ?? { 'content-type': 'text/html' });
    res.end(r.body ?? '');
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, host, r));
  state.url = `http://${host}:${(s.address() as AddressInfo).port}`;
  return state;
}

/** Name resolution without real DNS: maps test host names to the given address. */
const fakeDns = (table: Record<string, string>): LookupFunction => ((hostname: string, options: { all?: boolean }, cb: (...a: unknown[]) => void) => {
  const address = table[hostname];
  if (!address) return cb(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
  return options.all ? cb(null, [{ address, family: 4 }]) : cb(null, address, 4);
}) as unknown as LookupFunction;

// 127.0.0.2 plays a public web server: it is the only address the agent is told to allow.
const publicish = { agentOptions: { allowIPAddressList: ['127.0.0.2'] }, allowAnyPort: true };

describe('website metadata fetch', () => {
  it('reads title and description from an allowed host', async () => {
    const site = await serve('127.0.0.2', () => ({ status: 200, body: '<html><head><title>Acme &amp; Co</title><meta name="description" content="Product analytics\nfor teams"></head></html>' }));
    const meta = await fetchSiteMeta(`${site.url}/`, publicish);
    expect(meta).toMatchObject({ title: 'Acme & Co', description: 'Product analytics for teams' });
  });

  it('refuses loopback 127.0.0.1 without sending a request', async () => {
    const internal = await serve('127.0.0.1', () => ({ status: 200, body: '<title>secret</title>' }));
    await expect(fetchSiteMeta(`${internal.url}/`, { allowAnyPort: true })).rejects.toBeInstanceOf(FetchRefused);
    expect(internal.hits).toBe(0);
  });

  it('refuses a redirect to loopback', async () => {
    const internal = await serve('127.0.0.1', () => ({ status: 200, body: '<title>admin</title>' }));
    const site = await serve('127.0.0.2', () => ({ status: 302, headers: { location: `${internal.url}/admin` } }));
    await expect(fetchSiteMeta(`${site.url}/`, publicish)).rejects.toBeInstanceOf(FetchRefused);
    expect(site.hits).toBe(1);
    expect(internal.hits).toBe(0);
  });

  it('refuses names that resolve to 10.x and 169.254.x (checked after DNS, before connecting)', async () => {
    const lookup = fakeDns({ 'intranet.example': '10.1.2.3', 'metadata.example': '169.254.169.254', 'v6.example': '::1' });
    for (const host of ['intranet.example', 'metadata.example']) {
      await expect(fetchSiteMeta(`http://${host}/`, { lookup })).rejects.toThrow(/not allowed/);
    }
  });

  it('refuses a redirect to a link-local IP literal and to a name resolving to a private address', async () => {
    const site = await serve('127.0.0.2', (path) => ({ status: 301, headers: { location: path === '/a' ? 'http://169.254.169.254/latest/meta-data/' : 'http://intranet.example/' } }));
    const lookup = fakeDns({ 'intranet.example': '10.0.0.7' });
    await expect(fetchSiteMeta(`${site.url}/a`, { ...publicish, lookup })).rejects.toBeInstanceOf(FetchRefused);
    await expect(fetchSiteMeta(`${site.url}/b`, { ...publicish, lookup })).rejects.toBeInstanceOf(FetchRefused);
  });

  it('refuses other schemes, credentials and non-web ports', async () => {
    await expect(fetchSiteMeta('file:///etc/passwd')).rejects.toThrow(/scheme/);
    await expect(fetchSiteMeta('http://user:pw@example.com/')).rejects.toThrow(/credentials/);
    await expect(fetchSiteMeta('http://example.com:6379/')).rejects.toThrow(/port/);
  });

  it('caps time and bytes', async () => {
    const slow = await serve('127.0.0.2', () => ({ status: 200, body: '' }));
    const hang = createServer(() => {});
    servers.push(hang);
    await new Promise<void>((r) => hang.listen(0, '127.0.0.2', r));
    // Collect garbage while the request hangs: a deadline that only a weak reference keeps alive
    // (AbortSignal.timeout inside AbortSignal.any) is collected and never fires.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const collecting = setInterval(gc, 10);
    const t0 = Date.now();
    await expect(fetchSiteMeta(`http://127.0.0.2:${(hang.address() as AddressInfo).port}/`, { ...publicish, timeoutMs: 150 })).rejects.toThrow(/timed out/);
    clearInterval(collecting);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(slow.hits).toBe(0);
    const big = await serve('127.0.0.2', () => ({ status: 200, body: `<title>${'x'.repeat(2_000_000)}</title>` }));
    const meta = await fetchSiteMeta(`${big.url}/`, { ...publicish, maxBytes: 4096 });
    expect(meta.title).toBeNull(); // the closing tag was beyond the cap: nothing unbounded was read
  });

  it('parses og:description and single quotes', () => {
    expect(parseSiteMeta(`<meta property='og:description' content='Hello'><title> T </title>`)).toEqual({ title: 'T', description: 'Hello' });
  });
});
