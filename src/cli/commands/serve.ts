import { createApp } from '../../app.ts';
import { createLogger } from '../../observability/logger.ts';
import { loadPolicy } from '../../policy/load.ts';
import { parseCommandArgs, type Command } from '../command.ts';

export const serve: Command = {
  name: 'serve',
  summary: 'start the HTTP server, the pipeline worker and the outbox dispatcher',
  usage: 'serve',
  async run(args, { config, err }) {
    if (!parseCommandArgs(serve, args, err, {})) return 2;
    const logger = createLogger(config.logLevel);
    const app = createApp({ config, loaded: loadPolicy(config.policyPath), logger });
    await app.start();
    await new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        app.stop().then(resolve, (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          resolve();
        });
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    });
    return 0;
  },
};
