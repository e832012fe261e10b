import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every live process as pid → ppid; zombies count as gone (they already exited, only the reaping is left). */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const line of execFileSync('ps', ['-A', '-o', 'pid=,ppid=,stat='], { encoding: 'utf8' }).split('\n')) {
    const [pid, ppid, stat] = line.trim().split(/\s+/);
    if (pid && ppid && !stat?.startsWith('Z')) table.set(Number(pid), Number(ppid));
  }
  return table;
}

function descendants(root: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of table) if (ppid === parent) { found.push(pid); queue.push(pid); }
  }
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const answers = (url: string) => fetch(url, { signal: AbortSignal.timeout(1000) }).then(() => true, () => false);
const exited = (p: ChildProcess) => p.exitCode !== null || p.signalCode !== null;

/**
 * Runs `npm start` in its own process group, waits for /healthz, calls `signal`, and asserts that within
 * 10 s the port is closed, npm has exited and none of its descendants is left. Returns the database path.
 */
async function stopsWith(name: string, signal: (npm: ChildProcess) => void): Promise<string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/healthz`;
  const database = join(dir, `${name}.sqlite`);
  const npm = spawn('npm', ['start', '--silent'], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_PATH: database },
    stdio: 'ignore',
    detached: true, // a group of its own, like a terminal's foreground job; the cleanup below kills only it
  });
  try {
    const healthyBy = Date.now() + 40_000;
    while (!(await answers(url))) {
      expect(exited(npm), 'npm start exited before serving').toBe(false);
      expect(Date.now(), 'no /healthz within 40 s').toBeLessThan(healthyBy);
      await sleep(200);
    }
    const children = descendants(npm.pid!);
    expect(children.length).toBeGreaterThan(0);

    signal(npm);
    const stoppedBy = Date.now() + 10_000;
    for (;;) {
      const alive = processTable();
      const state = { listening: await answers(url), survivors: children.filter((pid) => alive.has(pid)), npmExited: exited(npm) };
      if (!state.listening && state.survivors.length === 0 && state.npmExited) break;
      if (Date.now() > stoppedBy) expect(state, 'still running 10 s after the signal').toEqual({ listening: false, survivors: [], npmExited: true });
      await sleep(200);
    }
    return database;
  } finally {
    // An orphaned server keeps npm's process group; killing the group never touches anything else.
    try { process.kill(-npm.pid!, 'SIGKILL'); } catch { /* group already empty, as it should be */ }
  }
}

describe('npm start and signals', () => {
  // npm forwards SIGTERM only to its direct child; were that child a `sh -c` wrapper (dash does not exec
  // the last command), the wrapper would die and orphan the server.
  it('SIGTERM to the npm process stops the server cleanly and leaves no child behind', async () => {
    const database = await stopsWith('sigterm', (npm) => process.kill(npm.pid!, 'SIGTERM'));
    // The server's stop() closed the database: SQLite checkpointed and removed the WAL (a kill leaves it).
    expect(existsSync(`${database}-wal`)).toBe(false);
  }, 60_000);

  // Ctrl-C signals the whole foreground group: node gets SIGINT from the terminal and again from npm.
  it('Ctrl-C (SIGINT to the group) stops it cleanly too: the forwarded echo does not cut the shutdown short', async () => {
    const database = await stopsWith('ctrl-c', (npm) => process.kill(-npm.pid!, 'SIGINT'));
    expect(existsSync(`${database}-wal`)).toBe(false);
  }, 60_000);
});
