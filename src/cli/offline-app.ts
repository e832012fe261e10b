import { createApp, type App } from '../app.ts';
import { createLogger } from '../observability/logger.ts';
import { loadPolicy } from '../policy/load.ts';
import type { CommandContext } from './command.ts';

/** An app for one-shot commands: no HTTP listener, no timers; the caller drains the queue itself. */
export function openOfflineApp(ctx: CommandContext): App {
  const logger = createLogger(ctx.config.logLevel === 'info' ? 'warn' : ctx.config.logLevel, process.stderr);
  return createApp({ config: ctx.config, loaded: loadPolicy(ctx.config.policyPath), logger, background: false });
}

/** Runs queued jobs and outbox effects until both are empty (or nothing more can run now). */
export async function runToCompletion(app: App, onProgress?: () => void): Promise<void> {
  for (;;) {
    const jobs = await app.worker.drain(50);
    const effects = await app.dispatcher.runOnce();
    onProgress?.();
    if (jobs === 0 && effects === 0) return;
  }
}
