import { describeErasure, findPerson } from '../../privacy/person.ts';
import { queueErasure } from '../../privacy/eraseJob.ts';
import { openOfflineApp, runToCompletion } from '../offline-app.ts';
import { missingDatabase, parseCommandArgs, type Command } from '../command.ts';

export const erase: Command = {
  name: 'erase',
  summary: "forget a person: every lead of their address, everywhere lead-triage keeps it (the CRM's record is named, not deleted)",
  usage: 'erase <email|lead-id> [--dry-run]',
  help: [
    '  <email|lead-id>  the address, or one of its leads (every lead of that address is erased)',
    '  --dry-run        say what would be erased, change nothing',
  ],
  async run(args, ctx) {
    const parsed = parseCommandArgs(erase, args, ctx.err, { options: { 'dry-run': { type: 'boolean' } }, required: ['email|lead-id'] });
    if (!parsed) return 2;
    const noDb = missingDatabase(ctx.config);
    if (noDb) {
      ctx.err(`lead-triage erase: ${noDb}`);
      return 1;
    }
    const app = openOfflineApp(ctx);
    try {
      const person = findPerson(app.db, parsed.positionals[0]!);
      if (person.kind === 'erased') {
        ctx.out(`${person.leadId} was already erased on ${person.at.slice(0, 10)}: nothing changed`);
        return 0;
      }
      if (person.kind === 'none') {
        ctx.err(`lead-triage erase: ${person.why}: nothing changed`);
        return 1;
      }
      const plan = describeErasure(app.db, person.leads.map((l) => l.id));
      ctx.out(`${parsed.values['dry-run'] ? 'would erase' : 'erasing'} ${person.leads.length} lead${person.leads.length === 1 ? '' : 's'} of this address (${person.leads.map((l) => l.id).join(', ')}); ${plan.slackMessages} Slack message${plan.slackMessages === 1 ? '' : 's'} to redact`);
      for (const r of plan.crm) ctx.out(`CRM: ${r.crm} contact ${r.contact_id}${r.url ? ` (${r.url})` : ''} is not deleted by lead-triage; use the CRM's own GDPR delete`);
      if (parsed.values['dry-run']) return 0;
      queueErasure(app.db, person.leads.map((l) => l.id), { why: 'request', by: 'cli', emailHash: person.emailHash });
      await runToCompletion(app);
      const waiting = app.db.prepare(`SELECT COUNT(*) FROM jobs WHERE kind = 'erase_lead' AND status IN ('queued', 'running')
        AND lead_id IN (SELECT value FROM json_each(?))`).pluck().get(JSON.stringify(person.leads.map((l) => l.id))) as number;
      if (waiting) {
        ctx.out(`erased; ${waiting} lead${waiting === 1 ? '' : 's'} still finishing (another process holds the database): the server completes ${waiting === 1 ? 'it' : 'them'}`);
      } else {
        ctx.out(`erased ${person.leads.length} lead${person.leads.length === 1 ? '' : 's'}; the audit log keeps their figures and the address's hash (${person.emailHash})`);
      }
      return 0;
    } finally {
      await app.stop();
    }
  },
};
