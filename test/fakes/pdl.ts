import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * People Data Labs Company Enrichment (GET /v5/company/enrich?website=…, X-Api-Key) on 127.0.0.1.
 * Known companies answer 200 with a v5 company record, unknown ones 404 as PDL does.
 */
export class PdlFake {
  readonly companies = new Map<string, Record<string, unknown>>();
  requests = 0;
  latencyMs = 0;
  failWith: number | null = null;
  private server: Server | null = null;

  constructor(readonly apiKey = 'pdl-test-key') {}

  add(domain: string, record: Record<string, unknown>): void {
    this.companies.set(domain, record);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.requests++;
      const send = (status: number, body: unknown) => {
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        }, this.latencyMs);
      };
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.headers['x-api-key'] !== this.apiKey) return send(401, { status: 401, error: { type: 'authentication_error', message: 'Invalid API key' } });
      if (this.failWith) return send(this.failWith, { status: this.failWith, error: { type: 'error', message: 'fake failure' } });
      if (url.pathname !== '/v5/company/enrich') return send(404, { status: 404, error: { type: 'not_found', message: 'no route' } });
      const record = this.companies.get(url.searchParams.get('website') ?? '');
      if (!record) return send(404, { status: 404, error: { type: 'not_found', message: 'No records were found matching your request' } });
      return send(200, { status: 200, likelihood: 8, ...record });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
