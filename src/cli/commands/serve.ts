import { createApp } from '../../app.ts';
import { createLogger } from '../../observability/logger.ts';
import { loadPolicy } from '../../policy/load.ts';
import { supervisePipeline } from '../../runtime/supervisor.ts';
import { parseCommandArgs, type Command } from '../command.ts';

export const serve: Command = {
  name: 'serve',
  summary: 'start the HTTP server, and the pipeline worker and outbox dispatcher in a supervised child process',
  usage: 'serve',
  async run(args, { config, err }) {
    if (!parseCommandArgs(serve, args, err, {})) return 2;
    const logger = createLogger(config.logLevel);
    const loaded = loadPolicy(config.policyPath);
    // The pipeline in its own process, so its work never delays a webhook's acknowledgement (PIPELINE_PROCESS=inline: one process).
    let adopt = (_hash: string) => undefined as void;
    const pipeline = config.pipelineProcess === 'child' ? supervisePipeline({ logger, onPolicy: (hash) => adopt(hash) }) : undefined;
    const app = createApp({ config, loaded, logger, role: pipeline ? 'edge' : 'all', pipeline });
    adopt = (hash) => app.adoptPolicy(hash);
    // Listening for signals before start-up ends: a SIGTERM while the pipeline process boots still stops cleanly.
    const started = app.start();
    const stopped = new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        started.catch(() => undefined).then(() => app.stop()).then(resolve, (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          resolve();
        });
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    });
    await started;
    await stopped;
    return 0;
  },
};
