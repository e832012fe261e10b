import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Decision } from '../core/decision.ts';
import { AppError } from '../core/errors.ts';
import type { Logger } from '../observability/logger.ts';
import { loadPolicy, type LoadedPolicy } from './load.ts';

/** Where the policy's `shadow` candidate lives: relative to the policy file's folder. Null when it names none. */
export function shadowPath(loaded: LoadedPolicy): string | null {
  const name = loaded.policy.shadow;
  return name ? resolve(dirname(loaded.path), name) : null;
}

/**
 * The candidate policy the policy names in `shadow`, loaded and validated exactly like the policy itself; null when it
 * names none. A bad candidate is one AppError naming the policy's `shadow` field and the candidate's own bad field, so
 * start-up stops on it as it does on a bad policy. A candidate's own `shadow` is not followed: one level only.
 */
export function loadShadow(loaded: LoadedPolicy): LoadedPolicy | null {
  const path = shadowPath(loaded);
  if (!path) return null;
  if (!existsSync(path)) throw new AppError('policy_invalid', `${loaded.path}: shadow: no such candidate policy file ${path}`, 'shadow');
  try {
    return loadPolicy(path);
  } catch (err) {
    const why = err instanceof AppError ? err.message : `cannot read ${path}`;
    throw new AppError('policy_invalid', `${loaded.path}: shadow: candidate policy is invalid: ${why}`, 'shadow', { cause: err });
  }
}

/**
 * The shadow as the pipeline reads it, once per lead. Loaded now, so a bad candidate stops start-up (throws); later the
 * candidate follows the policy holder (a reload may name another file or none) and edits of the candidate file itself.
 * After start-up it never throws: a candidate that became invalid is logged, and the last good one stays while the
 * policy names the same file (the policy reload's rule); a newly named file that is invalid means no shadow.
 * `onLoaded` sees each candidate loaded (e.g. to store its text by hash, as every policy that decides is).
 */
export function shadowSource(loaded: LoadedPolicy, logger?: Logger, onLoaded?: (shadow: LoadedPolicy) => void): () => LoadedPolicy | null {
  let current = loadShadow(loaded);
  if (current) onLoaded?.(current);
  let seen = sourceStamp(loaded);
  return () => {
    const now = sourceStamp(loaded);
    if (now.hash === seen.hash && now.path === seen.path && now.file === seen.file) return current;
    const samePath = now.path === seen.path;
    seen = now;
    try {
      current = loadShadow(loaded);
      if (current) {
        logger?.info({ shadow: current.path, shadow_hash: current.hash }, 'shadow policy loaded');
        onLoaded?.(current);
      }
    } catch (err) {
      if (!samePath) current = null;
      logger?.error({ err: (err as Error).message, kept: current?.hash ?? null }, 'shadow policy refused');
    }
    return current;
  };
}

/** Changes when the policy changes or the candidate file is written: cheap enough to check for every lead. */
function sourceStamp(loaded: LoadedPolicy): { hash: string; path: string | null; file: string } {
  const path = shadowPath(loaded);
  let file = 'none';
  if (path) {
    try {
      const s = statSync(path);
      file = `${s.mtimeMs}:${s.size}`;
    } catch {
      file = 'missing';
    }
  }
  return { hash: loaded.hash, path, file };
}

/**
 * Whether the shadow would have done the same with the lead: the same final action, the same route and the same need
 * for a person. Rule lists may differ while this holds (the summary counts those only where it does not).
 */
export function sameOutcome(live: Decision, shadow: Decision): boolean {
  return live.final_action === shadow.final_action && live.route === shadow.route && live.needs_review === shadow.needs_review;
}

/** Rule names in one decision but not the other (each name once), sorted: what the summary counts. */
export function differingRules(live: readonly { rule: string }[], shadow: readonly { rule: string }[]): string[] {
  const a = new Set(live.map((r) => r.rule));
  const b = new Set(shadow.map((r) => r.rule));
  return [...new Set([...a].filter((r) => !b.has(r)).concat([...b].filter((r) => !a.has(r))))].sort();
}
