import type { Command } from '../../src/cli/command.ts';
import { loadConfig } from '../../src/config/env.ts';

/** A CLI command run in-process with the configuration `env` gives, and what it printed. */
export async function runCommand(command: Pick<Command, 'run'>, args: string[], env: Record<string, string>): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command.run(args, { config: loadConfig(env), out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}
