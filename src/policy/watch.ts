import { dirname, resolve } from 'node:path';
import { watch } from 'chokidar';
import { reloadPolicy, type ReloadDeps } from './reload.ts';

/**
 * Watches the policy file's folder (editors save by writing a new file and renaming it over the old one, which a
 * watch on the file itself would lose) and reloads after the writes settle.
 */
export function watchPolicy(deps: ReloadDeps, settleMs = 300): { ready: Promise<void>; stop(): Promise<void> } {
  const file = resolve(deps.loaded.path);
  const watcher = watch(dirname(file), { ignoreInitial: true, depth: 0, awaitWriteFinish: { stabilityThreshold: settleMs, pollInterval: 50 } });
  const onChange = (path: string) => {
    if (resolve(path) !== file) return;
    try {
      reloadPolicy(deps);
    } catch (err) {
      deps.logger.error({ err }, 'policy reload failed; the active policy stays');
    }
  };
  watcher.on('add', onChange).on('change', onChange);
  const ready = new Promise<void>((r) => watcher.once('ready', () => r()));
  return { ready, stop: () => watcher.close() };
}
