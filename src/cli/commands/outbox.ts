import { listOutbox, retryDead } from '../../outbox/admin.ts';
import { AuditLog } from '../../store/audit.ts';
import { openDb, type Db } from '../../store/db.ts';
import { missingDatabase, parseCommandArgs, usageError, type Command } from '../command.ts';

const oneLine = (s: string) => s.replace(/[\r\n\t\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');

/** Why nothing was revived for one id: it does not exist, or it is not dead (with what it is). */
function whyNotRetried(db: Db, id: number): string {
  const status = db.prepare('SELECT status FROM outbox WHERE id = ?').pluck().get(id) as string | undefined;
  return status === undefined ? `no outbox effect ${id}` : `outbox effect ${id} is ${status}, not dead: only dead effects are retried`;
}

export const outbox: Command = {
  name: 'outbox',
  summary: 'list side effects not yet done (--dead: dead letters only) or retry dead ones',
  usage: 'outbox list [--dead] | outbox retry <id|all-dead>',
  help: [
    'outbox list            effects not yet done: pending, running and dead',
    'outbox list --dead     dead letters only',
    'outbox retry <id>      queue one dead effect again with a fresh attempt budget',
    'outbox retry all-dead  the same for every dead effect',
  ],
  async run(args, { config, out, err }) {
    const parsed = parseCommandArgs(outbox, args, err, { options: { dead: { type: 'boolean' } }, required: ['list|retry'], optional: ['id|all-dead'] });
    if (!parsed) return 2;
    const [sub, arg] = parsed.positionals;
    const dead = parsed.values.dead === true;
    if (sub !== 'list' && sub !== 'retry') return usageError(outbox, err, `unknown subcommand ${JSON.stringify(sub)}`);
    if (sub === 'list' && arg !== undefined) return usageError(outbox, err, `unexpected argument ${JSON.stringify(arg)}`);
    if (sub === 'retry' && dead) return usageError(outbox, err, '--dead only applies to outbox list');
    if (sub === 'retry' && arg === undefined) return usageError(outbox, err, 'missing <id|all-dead>');
    const target = arg === 'all-dead' ? 'all' : Number(arg);
    if (sub === 'retry' && target !== 'all' && !(Number.isInteger(target) && target > 0)) {
      return usageError(outbox, err, `${JSON.stringify(arg)} is neither an effect id (a positive whole number) nor all-dead`);
    }
    const noDb = missingDatabase(config);
    if (noDb) {
      err(`lead-triage outbox: ${noDb}`);
      return 1;
    }
    const db = openDb(config.databasePath);
    try {
      if (sub === 'list') {
        const rows = listOutbox(db, { dead });
        if (rows.length === 0) out(dead ? 'no dead effects' : 'outbox is empty');
        for (const r of rows) {
          out(oneLine(`${String(r.id).padStart(6)}  ${r.status.padEnd(7)} ${r.kind.padEnd(18)} lead=${r.lead_id}  attempts=${r.attempts}  ${r.updated_at}${r.last_error ? `  error: ${r.last_error}` : ''}`));
        }
        return 0;
      }
      const n = retryDead(db, target, new AuditLog(db), 'cli');
      if (n === 0) {
        err(`lead-triage outbox: ${target === 'all' ? 'no dead effects to retry' : whyNotRetried(db, target)}`);
        return 1;
      }
      out(`${n} effect${n === 1 ? '' : 's'} queued again; the running server's dispatcher will pick ${n === 1 ? 'it' : 'them'} up`);
      return 0;
    } finally {
      db.close();
    }
  },
};
