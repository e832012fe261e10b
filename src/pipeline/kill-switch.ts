import type { Db } from '../store/db.ts';
import type { Policy } from '../policy/schema.ts';

/** On when the policy file says so or an approver ran `/triage pause`; either one is enough. */
export function isKillSwitchOn(db: Db, policy: Policy): boolean {
  if (policy.kill_switch) return true;
  const value = db.prepare("SELECT value FROM settings WHERE key = 'kill_switch'").pluck().get() as string | undefined;
  return value === 'on';
}
