import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalCommand } from '../../src/cli/commands/eval.ts';
import { loadConfig } from '../../src/config/env.ts';

/** The `eval` command on a dataset written to a temp file, with what it printed to stdout and stderr. */
export function evalCli(dataset: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'eval-')), 'set.jsonl');
  writeFileSync(file, dataset);
  const out: string[] = [];
  const err: string[] = [];
  const ctx = { config: loadConfig({ POLICY_PATH: 'data/policy.json' }), env: {}, out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  return { file, out, err, run: (args: string[]) => evalCommand.run(args, ctx), rewrite: (text: string) => writeFileSync(file, text) };
}
