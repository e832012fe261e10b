import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from '../store/db.ts';
import { textHash, type LoadedPolicy } from './load.ts';

/** One stored text: a policy file or a prompt version's files, by the hash decisions point at. */
export interface VersionRow {
  hash: string;
  kind: 'policy' | 'prompt';
  version: string;
  source: string;
  text: string;
  first_seen_at: string;
}

const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

export { textHash };

function insert(db: Db, row: Omit<VersionRow, 'first_seen_at'>): boolean {
  // Written once: a hash already stored keeps its first text, source and time.
  return db.prepare(`INSERT OR IGNORE INTO policy_versions (hash, kind, version, source, text, first_seen_at)
    VALUES (@hash, @kind, @version, @source, @text, @first_seen_at)`).run({ ...row, first_seen_at: new Date().toISOString() }).changes > 0;
}

/**
 * Stores the text behind `loaded.hash`. LoadedPolicy keeps only the parsed policy, so the file is read again and
 * stored only if it still hashes to what was loaded (an edit in between would store a text that never decided).
 * `text` skips the read when the caller has it. Returns whether the text is stored now (new or already there).
 */
export function recordPolicyVersion(db: Db, loaded: LoadedPolicy, text?: string): boolean {
  let body = text;
  if (body === undefined) {
    try {
      body = readFileSync(loaded.path, 'utf8');
    } catch {
      return hasVersion(db, loaded.hash);
    }
  }
  if (textHash(body) !== loaded.hash) return hasVersion(db, loaded.hash);
  insert(db, { hash: loaded.hash, kind: 'policy', version: loaded.policy.version, source: loaded.path, text: body });
  return true;
}

/** Stores a prompt version's text under the hash of that text; the version is the prompt_version decisions carry. */
export function recordPromptVersion(db: Db, version: string, text: string, source = `prompts/${version}`): string {
  const hash = textHash(text);
  insert(db, { hash, kind: 'prompt', version, source, text });
  return hash;
}

/**
 * A prompt version's text as shipped: `prompts/<version>.md`, followed by `prompts/<version>.examples.json` when
 * that exists (the worked examples are part of the version). Null for a version with no file: the embedded
 * offline classifier's rules live in code.
 */
export function promptFilesText(version: string): { text: string; source: string } | null {
  if (!/^[\w.-]+$/.test(version)) return null;
  const md = `${PROMPTS_DIR}${version}.md`;
  if (!existsSync(md)) return null;
  const examples = `${PROMPTS_DIR}${version}.examples.json`;
  const parts = [readFileSync(md, 'utf8')];
  const sources = [`prompts/${version}.md`];
  if (existsSync(examples)) {
    parts.push(`<!-- prompts/${version}.examples.json -->\n${readFileSync(examples, 'utf8')}`);
    sources.push(`prompts/${version}.examples.json`);
  }
  return { text: parts.join('\n'), source: sources.join(' + ') };
}

/** Records the policy and, when the model classifier is configured, its prompt version: what will decide from now on. */
export function recordDecidingVersions(db: Db, loaded: LoadedPolicy, promptVersion: string | null): void {
  recordPolicyVersion(db, loaded);
  const prompt = promptVersion ? promptFilesText(promptVersion) : null;
  if (promptVersion && prompt) recordPromptVersion(db, promptVersion, prompt.text, prompt.source);
}

export function hasVersion(db: Db, hash: string): boolean {
  return db.prepare('SELECT 1 FROM policy_versions WHERE hash = ?').get(hash) !== undefined;
}

/** A stored policy or prompt text by its hash. */
export function versionByHash(db: Db, hash: string): VersionRow | null {
  return (db.prepare('SELECT * FROM policy_versions WHERE hash = ?').get(hash) as VersionRow | undefined) ?? null;
}

export function getPolicyVersion(db: Db, hash: string): VersionRow | null {
  return (db.prepare("SELECT * FROM policy_versions WHERE hash = ? AND kind = 'policy'").get(hash) as VersionRow | undefined) ?? null;
}

/** Every text stored under a prompt version, oldest first: more than one means the files changed without a new version. */
export function promptVersions(db: Db, version: string): VersionRow[] {
  return db.prepare("SELECT * FROM policy_versions WHERE kind = 'prompt' AND version = ? ORDER BY first_seen_at, rowid").all(version) as VersionRow[];
}

export interface LeadVersions {
  policies: Array<{ hash: string; decisions: number[]; stored: VersionRow | null }>;
  prompts: Array<{ version: string; decisions: number[]; stored: VersionRow[] }>;
}

/** The distinct policy hashes and prompt versions behind a lead's decisions, in the order they first decided. */
export function leadVersions(db: Db, leadId: string): LeadVersions {
  const rows = db.prepare('SELECT version, policy_hash, prompt_version FROM decisions WHERE lead_id = ? ORDER BY version').all(leadId) as
    Array<{ version: number; policy_hash: string; prompt_version: string | null }>;
  const policies = new Map<string, number[]>();
  const prompts = new Map<string, number[]>();
  for (const r of rows) {
    (policies.get(r.policy_hash) ?? policies.set(r.policy_hash, []).get(r.policy_hash)!).push(r.version);
    if (r.prompt_version) (prompts.get(r.prompt_version) ?? prompts.set(r.prompt_version, []).get(r.prompt_version)!).push(r.version);
  }
  return {
    policies: [...policies].map(([hash, decisions]) => ({ hash, decisions, stored: getPolicyVersion(db, hash) })),
    prompts: [...prompts].map(([version, decisions]) => ({ version, decisions, stored: promptVersions(db, version) })),
  };
}
