import { reprocessLead } from '../../pipeline/reprocess.ts';
import { getRefresh } from '../../review/refresh.ts';
import { openOfflineApp, runToCompletion } from '../offline-app.ts';
import { missingDatabase, noSuchLead, parseCommandArgs, type Command } from '../command.ts';

export const reprocess: Command = {
  name: 'reprocess',
  summary: "run a lead through the pipeline again (no duplicate CRM record or card; a person's outcome stands)",
  usage: 'reprocess <lead-id|email>',
  async run(args, ctx) {
    const parsed = parseCommandArgs(reprocess, args, ctx.err, { required: ['lead-id|email'] });
    if (!parsed) return 2;
    const key = parsed.positionals[0]!;
    const noDb = missingDatabase(ctx.config);
    if (noDb) {
      ctx.err(`lead-triage reprocess: ${noDb}`);
      return 1;
    }
    const app = openOfflineApp(ctx);
    try {
      const record = key.includes('@') ? app.leads.latestByEmail(key) : app.leads.get(key);
      if (!record) {
        ctx.err(`lead-triage reprocess: ${noSuchLead(key, ctx.config.databasePath)}`);
        return 1;
      }
      const { job_id } = reprocessLead(app.db, app.audit, record.id, 'cli');
      await runToCompletion(app);
      const after = app.leads.get(record.id);
      const refreshId = app.db.prepare('SELECT id FROM lead_refreshes WHERE job_id = ?').pluck().get(job_id) as string | undefined;
      const refresh = refreshId ? getRefresh(app.db, refreshId) : null;
      if (!refresh) {
        ctx.out(`reprocessed ${record.id}: status ${after?.status ?? 'unknown'}`);
        return 0;
      }
      // The CLI is the operator's own tool on the server, but it cannot undo a person's outcome either.
      ctx.out(`reprocessed ${record.id}: ${refresh.human.kind} by ${refresh.human.by} stands (status ${after?.status ?? 'unknown'}); the fresh reading:`);
      const { diff } = refresh;
      for (const c of diff.changes) ctx.out(`  ${c.what}: ${c.before} -> ${c.after}`);
      if (diff.rules_added.length) ctx.out(`  rules now firing: ${diff.rules_added.join(', ')}`);
      if (diff.rules_removed.length) ctx.out(`  rules no longer firing: ${diff.rules_removed.join(', ')}`);
      if (!diff.changes.length && !diff.rules_added.length && !diff.rules_removed.length) ctx.out('  nothing changed');
      ctx.out("an approver can apply it with 'Apply this reading' in the card's thread in Slack");
      return 0;
    } finally {
      await app.stop();
    }
  },
};
