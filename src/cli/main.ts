import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../config/env.ts';
import { describeError } from '../core/errors.ts';
import type { Command, CommandContext } from './command.ts';
import { serve } from './commands/serve.ts';
import { ingest } from './commands/ingest.ts';
import { audit } from './commands/audit.ts';
import { reprocess } from './commands/reprocess.ts';
import { checkConfig } from './commands/check-config.ts';
import { policySchema } from './commands/policy-schema.ts';
import { evalCommand } from './commands/eval.ts';
import { outbox } from './commands/outbox.ts';
import { sendSample } from './commands/send-sample.ts';
import { replay } from './commands/replay.ts';
import { erase } from './commands/erase.ts';

const COMMANDS: Command[] = [
  serve,
  ingest,
  sendSample,
  evalCommand,
  audit,
  reprocess,
  replay,
  erase,
  checkConfig,
  outbox,
  policySchema,
];

const HELP = new Set(['help', '--help', '-h']);
const VERSION = new Set(['--version', '-v']);

/** The version in package.json, read beside the sources at run time (the CLI runs them without a build). */
function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const version = (pkg as { version?: unknown } | null)?.version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function usage(out: (line: string) => void): void {
  out('usage: lead-triage <command> [args]');
  out('');
  out('commands:');
  for (const c of COMMANDS) out(`  ${c.name.padEnd(14)} ${c.summary}`);
  out('');
  out('options:');
  out(`  ${'-h, --help'.padEnd(14)} this help; \`lead-triage <command> --help\` for one command's arguments and flags`);
  out(`  ${'-v, --version'.padEnd(14)} print the version`);
  out('');
  out('Settings come from the environment (PORT, HOST, DATABASE_PATH, POLICY_PATH, tokens): see README.md.');
}

function commandHelp(c: Command, out: (line: string) => void): void {
  out(`usage: lead-triage ${c.usage}`);
  out('');
  out(c.summary);
  if (c.help?.length) {
    out('');
    for (const line of c.help) out(`  ${line}`);
  }
}

/** `--help` anywhere before a `--` asks for the command's help, whatever else is on the line. */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  if (name === undefined || HELP.has(name)) {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === args[0]) : undefined;
    if (topic) commandHelp(topic, out);
    else usage(out);
    if (name === 'help' && args[0] !== undefined && !topic) {
      err(`lead-triage: unknown command: ${args[0]}`);
      return 2;
    }
    return 0;
  }
  if (VERSION.has(name)) {
    out(packageVersion());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    // The mistake goes to stderr; the usage is help, so it goes where help goes.
    err(name.startsWith('-') ? `lead-triage: unknown option ${name}` : `lead-triage: unknown command: ${name}`);
    usage(out);
    return 2;
  }
  if (wantsHelp(args)) {
    commandHelp(command, out);
    return 0;
  }
  let ctx: CommandContext;
  try {
    ctx = { config: loadConfig(), out, err };
  } catch (e) {
    for (const line of describeError(e).message.split('\n')) err(`lead-triage: ${line}`);
    return 2;
  }
  try {
    return await command.run(args, ctx);
  } catch (e) {
    const d = describeError(e);
    err(`lead-triage ${command.name}: ${d.code === 'internal' ? (e instanceof Error ? e.message : String(e)) : d.message}`);
    return d.code === 'policy_invalid' || d.code === 'config_invalid' ? 2 : 1;
  }
}

// `lead-triage --help | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});
// `cp .env.example .env` is the documented set-up: read it when present; variables set in the shell win.
if (existsSync('.env')) process.loadEnvFile('.env');
process.exitCode = await main(process.argv.slice(2));
