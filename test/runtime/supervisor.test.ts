import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { signWebhook } from '../helpers/sign.ts';
import { startServerProcess } from '../helpers/server-process.ts';

const SECRET = 'supervisor-test-secret';
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function deliver(url: string, n: number): Promise<string> {
  const body = JSON.stringify({ event_id: `sv-${n}`, email: `buyer${n}@supervised-${n}.example`, name: `Buyer ${n}`, message: 'We need pricing for 40 seats and a demo next week, please.' });
  const res = await fetch(`${url}/webhooks/generic`, { method: 'POST', body, headers: signWebhook('generic', SECRET, body) });
  expect(res.status).toBe(202);
  return ((await res.json()) as { lead_id: string }).lead_id;
}

describe('serve runs the pipeline in a supervised child process', () => {
  it('decides leads there, restarts it when it dies, and leaves no process behind on stop or when the edge is killed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lt-supervisor-'));
    const dbPath = join(dir, 'db.sqlite');
    const status = (id: string) => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return (db.prepare('SELECT status FROM leads WHERE id = ?').pluck().get(id) as string | undefined) ?? null;
      } finally {
        db.close();
      }
    };
    const server = await startServerProcess({ DATABASE_PATH: dbPath, WEBHOOK_SECRET: SECRET, ENRICH_WEBSITE_FETCH: 'false' });
    const health = async () => (await (await fetch(`${server.url}/healthz`)).json()) as { ok: boolean; pipeline_pid: number | null; pipeline_restarts: number; worker_last_tick_at: string | null };
    try {
      const first = await health();
      expect(first).toMatchObject({ pipeline_restarts: 0, pipeline_pid: expect.any(Number) });
      expect(first.pipeline_pid).not.toBe(server.child.pid);
      const a = await deliver(server.url, 1);
      await until('the first lead to be decided', () => status(a) === 'routed');

      // A pipeline process that dies is restarted; the next lead is decided by the new one.
      process.kill(first.pipeline_pid!, 'SIGKILL');
      const restarted = await until('a restarted pipeline process', async () => {
        const h = await health();
        return h.pipeline_restarts === 1 && h.pipeline_pid !== null && h.ok && h;
      });
      expect(restarted.pipeline_pid).not.toBe(first.pipeline_pid);
      const b = await deliver(server.url, 2);
      await until('the second lead to be decided', () => status(b) === 'routed');

      await server.stop();
      await until('the pipeline process to exit with the server', () => !alive(restarted.pipeline_pid!));
    } finally {
      await server.stop();
    }

    // An edge killed outright takes its pipeline process with it (the IPC channel closes).
    const again = await startServerProcess({ DATABASE_PATH: dbPath, WEBHOOK_SECRET: SECRET, ENRICH_WEBSITE_FETCH: 'false' });
    const pid = ((await (await fetch(`${again.url}/healthz`)).json()) as { pipeline_pid: number }).pipeline_pid;
    again.child.kill('SIGKILL');
    await until('the orphaned pipeline process to exit', () => !alive(pid));
  }, 90_000);
});
