import { listOutbox, retryDead } from '../../outbox/admin.ts';
import { AuditLog } from '../../store/audit.ts';
import { openDb } from '../../store/db.ts';
import type { Command } from '../command.ts';

const oneLine = (s: string) => s.replace(/[\r\n\t\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');

export const outbox: Command = {
  name: 'outbox',
  summary: 'list side effects not yet done (--dead: dead letters only) or retry dead ones',
  usage: 'outbox list [--dead] | outbox retry <id|all-dead>',
  async run(args, { config, out, err }) {
    const [sub, arg] = args;
    if (sub !== 'list' && sub !== 'retry') {
      err('usage: lead-triage outbox list [--dead] | outbox retry <id|all-dead>');
      return 2;
    }
    const db = openDb(config.databasePath);
    try {
      if (sub === 'list') {
        const rows = listOutbox(db, { dead: arg === '--dead' });
        if (rows.length === 0) out(arg === '--dead' ? 'no dead effects' : 'outbox is empty');
        for (const r of rows) {
          out(oneLine(`${String(r.id).padStart(6)}  ${r.status.padEnd(7)} ${r.kind.padEnd(18)} lead=${r.lead_id}  attempts=${r.attempts}  ${r.updated_at}${r.last_error ? `  error: ${r.last_error}` : ''}`));
        }
        return 0;
      }
      const target = arg === 'all-dead' ? 'all' : Number(arg);
      if (target !== 'all' && !(Number.isInteger(target) && target > 0)) {
        err('usage: lead-triage outbox retry <id|all-dead>');
        return 2;
      }
      const n = retryDead(db, target, new AuditLog(db), 'cli');
      if (n === 0) {
        err(target === 'all' ? 'no dead effects to retry' : `effect ${target} is not dead`);
        return 1;
      }
      out(`${n} effect${n === 1 ? '' : 's'} queued again; the running server's dispatcher will pick ${n === 1 ? 'it' : 'them'} up`);
      return 0;
    } finally {
      db.close();
    }
  },
};
