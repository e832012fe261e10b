import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide } from '../../src/policy/decide.ts';
import { claimLead } from '../../src/review/claim.ts';
import { resolveReview } from '../../src/review/resolve.ts';
import type { Db } from '../../src/store/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

/** Six submissions whose offline readings are known: three sales buyers, a student, a support request, an SEO pitch. */
export const SUBMISSIONS = [
  { event_id: 'rp-1', email: 'tom.becker@helixbio.com', name: 'Tom Becker', company: 'Helix Bio', website: 'https://helixbio.com', message: 'Need pricing for 60 seats with SSO and a SOC 2 report. We are evaluating vendors and decide by end of month.' },
  { event_id: 'rp-2', email: 'sara@northwind.io', name: 'Sara Lind', company: 'Northwind', message: 'We would like a demo of the funnels product for our team of 40 analysts, and pricing for the enterprise plan.' },
  { event_id: 'rp-3', email: 'jo@gmail.com', name: 'Jo', message: 'I am a student writing my thesis on product analytics, can I get a free account?' },
  { event_id: 'rp-4', email: 'ops@acmecorp.example', name: 'Ops', company: 'Acme Corp', message: 'Our dashboard export is failing with an error since yesterday, please help, we are customers.' },
  { event_id: 'rp-5', email: 'seo@linkfarm.example', name: 'Bob', message: 'We offer SEO services and link building for your website at great prices, reply for a quote.' },
  { event_id: 'rp-6', email: 'lena@brightdata.example', name: 'Lena', company: 'Bright Data', message: 'Looking to migrate from our current analytics vendor, we have 300 employees and want a trial and quote.' },
] as const;

/** Stored before the routing-era schema: its classification's intent is a value the schema no longer knows. */
export const OLD_SCHEMA = { event_id: 'rp-7', email: 'old@legacy.example', name: 'Old', company: 'Legacy', message: 'We want pricing for 50 seats and a demo next week for our analytics team.' } as const;

export interface StoredSet {
  t: TestApp;
  ids: Record<string, string>;
  /** The candidate: confidence floor 0.75 → 0.9, and "migrate" added to the disqualifiers. */
  candidatePath: string;
}

/**
 * The leads stored through the real pipeline (webhook → worker → decide → outbox), then what people did:
 * Ben took Tom's lead, an approver approved the SEO pitch's rejection. One decision's classification is
 * rewritten to an older schema's shape.
 */
export async function storeLeadSet(): Promise<StoredSet> {
  const t = await startTestApp();
  const ids: Record<string, string> = {};
  for (const s of [...SUBMISSIONS, OLD_SCHEMA]) {
    const r = await t.deliver('generic', s);
    ids[s.email] = r.body.lead_id as string;
  }
  await t.settle();
  const db = t.app.db;
  claimLead(db, t.app.audit, ids['tom.becker@helixbio.com']!, 'U0SALES002', t.clock.now());
  const spam = db.prepare("SELECT id FROM decisions WHERE lead_id = ? AND status = 'pending_review'").pluck().get(ids['seo@linkfarm.example']) as string;
  resolveReview({ db, audit: t.app.audit, leads: t.app.leads, loaded: t.loaded, decide, clock: t.clock.now }, { decisionId: spam, kind: 'approve', userId: 'U0APPROVE1', reason: null });
  await t.settle();
  db.prepare("UPDATE decisions SET classification_json = json_set(classification_json, '$.classification.intent', 'hot') WHERE lead_id = ?").run(ids[OLD_SCHEMA.email]);

  const candidatePath = join(t.dir, 'candidate.json');
  writeFileSync(candidatePath, readFileSync(t.loaded.path, 'utf8')
    .replace('"confidence_floor": 0.75', '"confidence_floor": 0.9')
    .replace('"disqualifiers": ["student"', '"disqualifiers": ["migrate", "student"'));
  return { t, ids, candidatePath };
}

/** Every table's rows, hashed: equal digests mean nothing in that table changed. */
export function tableDigests(db: Db): Record<string, string> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((name) => {
    const rows = db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all();
    return [name, createHash('sha256').update(JSON.stringify(rows)).digest('hex')];
  }));
}

export function rowCounts(db: Db, ...tables: string[]): Record<string, number> {
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get() as number]));
}
