import { describe, expect, it } from 'vitest';
import { createLocalCrm } from '../../src/crm/local.ts';
import { createCrm } from '../../src/crm/index.ts';
import { mapLeadProperties } from '../../src/crm/properties.ts';
import { loadConfig } from '../../src/config/env.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { openDb } from '../../src/store/db.ts';
import { lead } from '../outbox/seed.ts';

describe('embedded SQLite CRM', () => {
  it('is chosen without a HubSpot token; HubSpot with one', () => {
    const db = openDb(':memory:');
    expect(createCrm(loadConfig({}), db, silentLogger()).name).toBe('local');
    expect(createCrm(loadConfig({ HUBSPOT_ACCESS_TOKEN: 'pat-x' }), db, silentLogger()).name).toBe('hubspot');
  });

  it('upserts by email, merging properties and never writing forbidden ones', async () => {
    const db = openDb(':memory:');
    const crm = createLocalCrm(db);
    const a = await crm.upsertContact('Jane@Acme.io', { firstname: 'Jane', hubspot_owner_id: '9', amount: '100' });
    const b = await crm.upsertContact('jane@acme.io', { company: 'Acme' });
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    const c = await crm.findContactByEmail('jane@acme.io');
    expect(c).toMatchObject({ id: a.id, owner_id: null, lifecycle_stage: 'lead' });
    expect(JSON.parse(db.prepare('SELECT properties_json FROM crm_contacts').pluck().get() as string)).toEqual({ firstname: 'Jane', company: 'Acme' });
  });

  it('creates notes and tasks once per dedupe key', async () => {
    const db = openDb(':memory:');
    const crm = createLocalCrm(db);
    const { id } = await crm.upsertContact('a@b.io', {});
    const n1 = await crm.addNote(id, 'hello', 'k1');
    const n2 = await crm.addNote(id, 'hello again', 'k1');
    expect(n2).toEqual({ id: n1.id, created: false });
    const t = { contactId: id, ownerHint: null, subject: 's', body: 'b', due: new Date(), dedupeKey: 't1' };
    const t1 = await crm.createTask(t);
    expect(await crm.createTask(t)).toEqual({ id: t1.id, created: false });
    expect(db.prepare('SELECT COUNT(*) FROM crm_notes').pluck().get()).toBe(1);
    expect(db.prepare('SELECT COUNT(*) FROM crm_tasks').pluck().get()).toBe(1);
  });

  it('assigns the claimer as owner only when none is set', async () => {
    const db = openDb(':memory:');
    const crm = createLocalCrm(db);
    const { id } = await crm.upsertContact('a@b.io', {});
    expect((await crm.assignOwner(id, { slackUserId: 'U0AAAAAA1', ownerId: null, via: 'none' }, 'claim1')).owner_id).toBe('U0AAAAAA1');
    expect((await crm.assignOwner(id, { slackUserId: 'U0BBBBBB2', ownerId: null, via: 'none' }, 'claim2')).owner_id).toBeNull();
    expect((await crm.findContactByEmail('a@b.io'))?.owner_id).toBe('U0AAAAAA1');
  });

  it('maps only policy fields and drops forbidden targets even if mapped', () => {
    const props = mapLeadProperties(lead(), { email: 'email', name: 'firstname', company: 'hubspot_owner_id', phone: 'Amount', 'utm.source': 'src', message: 'closedate' });
    expect(props).toEqual({ email: 'jane@acme-corp.com', firstname: 'Jane Doe', src: 'google' });
  });

  it('splits the name for first_name / last_name and reads a raw answer by its label, dots and all', () => {
    const mapping = { first_name: 'firstname', last_name: 'lastname', 'raw_answers.Team size (approx.)': 'team_size' };
    const of = (name: string | null) => mapLeadProperties({ ...lead(), name, raw_answers: { 'Team size (approx.)': 12 } }, mapping);
    expect(of('Dr. María de la Cruz')).toEqual({ firstname: 'María', lastname: 'de la Cruz', team_size: '12' });
    expect(of('Mary Ann Smith')).toEqual({ firstname: 'Mary Ann', lastname: 'Smith', team_size: '12' });
    // One word is a first name; no name writes neither.
    expect(of('Prince')).toEqual({ firstname: 'Prince', team_size: '12' });
    expect(of(null)).toEqual({ team_size: '12' });
  });
});
