import type { Config } from '../config/env.ts';

/** What every CLI command receives: parsed config and where to print. Commands return an exit code. */
export interface CommandContext {
  config: Config;
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], ctx: CommandContext): Promise<number>;
}
