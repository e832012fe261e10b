import { reprocessLead } from '../../pipeline/reprocess.ts';
import { openOfflineApp, runToCompletion } from '../offline-app.ts';
import type { Command } from '../command.ts';

export const reprocess: Command = {
  name: 'reprocess',
  summary: 'run a lead through the pipeline again (no duplicate CRM record or card)',
  usage: 'reprocess <lead-id|email>',
  async run(args, ctx) {
    const key = args[0];
    if (!key) {
      ctx.err('usage: lead-triage reprocess <lead-id|email>');
      return 2;
    }
    const app = openOfflineApp(ctx);
    try {
      const record = key.includes('@') ? app.leads.latestByEmail(key) : app.leads.get(key);
      if (!record) {
        ctx.err(`no lead ${key}`);
        return 1;
      }
      reprocessLead(app.db, app.audit, record.id, 'cli');
      await runToCompletion(app);
      const after = app.leads.get(record.id);
      ctx.out(`reprocessed ${record.id}: status ${after?.status ?? 'unknown'}`);
      return 0;
    } finally {
      await app.stop();
    }
  },
};
