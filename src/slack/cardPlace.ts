import type { Db } from '../store/db.ts';

/** Where people see a lead: its lead card, else its review card; null before either is posted. */
export function cardPlace(db: Db, leadId: string): { channel: string; ts: string } | null {
  const row = db.prepare("SELECT channel, ts FROM slack_cards WHERE lead_id = ? ORDER BY CASE card WHEN 'lead' THEN 0 ELSE 1 END LIMIT 1")
    .get(leadId) as { channel: string; ts: string } | undefined;
  return row ?? null;
}
