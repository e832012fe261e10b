import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
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
  /** Lines `lead-triage <name> --help` prints after the usage: each flag and what it does. */
  help?: readonly string[];
  run(args: string[], ctx: CommandContext): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/** A mistake on the command line: what is wrong, then the usage; the exit code is 2. */
export function usageError(command: Pick<Command, 'name' | 'usage'>, err: (line: string) => void, problem: string): 2 {
  err(`lead-triage ${command.name}: ${problem}`);
  err(`usage: lead-triage ${command.usage}  (lead-triage ${command.name} --help for more)`);
  return 2;
}

/** node:util's errors, reworded: they name the flag and say what it needs, without the parser's advice on `--`. */
function reword(e: Error & { code?: string }): string {
  const flag = /'([^' ]+)/.exec(e.message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${flag}`;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (e.message.includes('does not take an argument')) return `${flag} takes no value`;
    if (e.message.includes('ambiguous')) return `${flag} needs a value (for one starting with a dash, write ${flag}=-…)`;
    return `${flag} needs a value`;
  }
  return e.message.split('\n')[0] ?? 'invalid arguments';
}

/**
 * Parses a command's arguments with node:util's parseArgs (strict: an unknown flag is an error) and checks the
 * number of positionals against their names. On a mistake it prints what is wrong and the usage and returns null;
 * the command then returns 2.
 */
export function parseCommandArgs<O extends Options = Record<never, never>>(
  command: Pick<Command, 'name' | 'usage'>,
  args: string[],
  err: (line: string) => void,
  spec: { options?: O; required?: readonly string[]; optional?: readonly string[] },
): Parsed<O> | null {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args, options: (spec.options ?? {}) as O, allowPositionals: true, strict: true });
  } catch (e) {
    usageError(command, err, reword(e as Error & { code?: string }));
    return null;
  }
  const required = spec.required ?? [];
  const missing = required[parsed.positionals.length];
  if (missing) {
    usageError(command, err, `missing <${missing}>`);
    return null;
  }
  const extra = parsed.positionals[required.length + (spec.optional?.length ?? 0)];
  if (extra !== undefined) {
    usageError(command, err, `unexpected argument ${JSON.stringify(extra)}`);
    return null;
  }
  return parsed;
}

/**
 * Commands that read the store must not create an empty one at a mistyped path and then report "not found":
 * they name the missing database instead.
 */
export function missingDatabase(config: Config): string | null {
  if (config.databasePath === ':memory:' || existsSync(config.databasePath)) return null;
  return `no database at ${config.databasePath} (set DATABASE_PATH to the server's database; the server creates it on first start)`;
}

/** Names what was looked for and where, so a mistyped id and a wrong DATABASE_PATH read differently. */
export function noSuchLead(key: string, databasePath: string): string {
  return `no lead ${key.includes('@') ? 'with email' : 'with id'} ${key} in ${databasePath}`;
}
