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

const COMMANDS: Command[] = [serve, ingest, evalCommand, audit, reprocess, checkConfig, outbox, policySchema];

function usage(out: (line: string) => void): void {
  out('usage: lead-triage <command> [args]');
  for (const c of COMMANDS) out(`  ${c.usage.padEnd(44)} ${c.summary}`);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    if (name && name !== 'help' && name !== '--help') err(`unknown command: ${name}`);
    usage(name ? err : out);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  let ctx: CommandContext;
  try {
    ctx = { config: loadConfig(), out, err };
  } catch (e) {
    err(`lead-triage: ${describeError(e).message}`);
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

process.exitCode = await main(process.argv.slice(2));
