import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from '../core/errors.ts';
import { assigneeVariables, loadTemplate, renderTemplate, TEMPLATES_DIR } from '../email/template.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import { loadShadow } from '../policy/shadow.ts';
import type { Config } from './env.ts';

/**
 * What start-up refuses to run with beyond the two schemas: the files the policy and environment name.
 * check-config runs exactly this list, so a policy it passes starts.
 */
export function startupProblems(config: Config, loaded: LoadedPolicy, templatesDir = TEMPLATES_DIR): string[] {
  const problems: string[] = [];
  const { email } = loaded.policy;
  if (email.ack_enabled) {
    try {
      // A placeholder the template does not know fails here, not on the first lead.
      renderTemplate(loadTemplate(templatesDir, email.template), { first_name: 'Jane', company: loaded.policy.company.name, ...assigneeVariables(null) });
    } catch (err) {
      problems.push(`${loaded.path}: email.template: ${(err as Error).message}`);
    }
  }
  try {
    loadShadow(loaded);
  } catch (err) {
    problems.push((err as Error).message);
  }
  const db = databasePathProblem(config.databasePath);
  if (db) problems.push(`DATABASE_PATH: ${db}`);
  return problems;
}

/** Throws the start-up problems as one error, one line each. */
export function assertStartable(config: Config, loaded: LoadedPolicy, templatesDir?: string): void {
  const problems = startupProblems(config, loaded, templatesDir);
  if (problems.length) throw new AppError('config_invalid', problems.join('\n'));
}

/** The database file must be writable, or its nearest existing folder must be (openDb creates the rest). */
function databasePathProblem(path: string): string | null {
  if (path === ':memory:') return null;
  const full = resolve(path);
  if (existsSync(full)) {
    if (statSync(full).isDirectory()) return `${path} is a folder; name a file in it, e.g. ${path.replace(/\/+$/, '')}/lead-triage.sqlite`;
    return writable(full) ? null : `${path} is not writable by this user`;
  }
  let folder = dirname(full);
  while (!existsSync(folder)) folder = dirname(folder);
  if (!statSync(folder).isDirectory()) return `${folder} is a file, so ${path} cannot be created`;
  return writable(folder) ? null : `cannot create ${path}: ${folder} is not writable by this user`;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
