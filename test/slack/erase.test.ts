import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACK_IDS } from '../../blocks/codec.ts';
import { JobWorker } from '../../src/jobs/worker.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createEraseHandler } from '../../src/privacy/eraseJob.ts';
import type { OutboxEffect } from '../../src/core/effects.ts';
import { APPROVER, OUTSIDER, commandBody, drainSlackEffects, sampleLead, seedLead, sendForm, startHarness, viewSubmissionBody, waitFor, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

const EMAIL = 'henrietta.quist@quist-ornithology.example';

async function triage(text: string, user = APPROVER): Promise<string> {
  const before = h.fake.callsTo('response_url').length;
  await sendForm(h, commandBody(h, user, text));
  return String((await waitFor(() => h.fake.callsTo('response_url')[before])).body.text);
}

const eraseJobs = () => h.db.prepare("SELECT lead_id, payload_json FROM jobs WHERE kind = 'erase_lead'").all() as Array<{ lead_id: string; payload_json: string }>;

async function submit(user: string, privateMetadata: string) {
  const before = h.fake.callsTo('chat.postEphemeral').length;
  await sendForm(h, viewSubmissionBody(user, { callback_id: CALLBACK_IDS.erase, private_metadata: privateMetadata, state: { values: {} } }));
  return String((await waitFor(() => h.fake.callsTo('chat.postEphemeral')[before])).body.text);
}

describe('/triage erase', () => {
  it('opens a confirmation modal for approvers only, erases on submit, and the card becomes the erased card in place', async () => {
    const { leadId } = seedLead(h, sampleLead({ email: EMAIL, name: 'Henrietta Quist', company: 'Quist Ornithology' }));
    await drainSlackEffects(h);
    const card = h.db.prepare("SELECT channel, ts FROM slack_cards WHERE lead_id = ? AND card = 'review'").get(leadId) as { channel: string; ts: string };

    expect(await triage(`erase ${EMAIL}`, OUTSIDER)).toMatch(/Only approvers .* erase\. Nothing was changed\./);
    expect(await triage('erase nobody@nowhere.example')).toBe(':information_source: no leads for this address: nothing was erased.');
    expect(h.fake.callsTo('views.open')).toHaveLength(0);

    // Slack sends a typed address as a mailto link; the modal names how many leads match, and nothing is erased yet.
    await sendForm(h, commandBody(h, APPROVER, `erase <mailto:${EMAIL}|${EMAIL}>`));
    const opened = await waitFor(() => h.fake.callsTo('views.open')[0]);
    const view = opened.body.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe(CALLBACK_IDS.erase);
    expect(JSON.stringify(view.blocks)).toMatch(/\*1 lead\* from this address .* will be erased.*This cannot be undone/);
    expect(h.leads.get(leadId)).not.toBeNull();
    expect(eraseJobs()).toEqual([]);

    // The submit is checked again: someone who is not an approver gets nothing queued.
    expect(await submit(OUTSIDER, view.private_metadata)).toMatch(/Only approvers/);
    expect(eraseJobs()).toEqual([]);

    expect(await submit(APPROVER, view.private_metadata)).toMatch(/^:wastebasket: Erasing 1 lead/);
    const jobs = eraseJobs();
    expect(jobs.map((j) => j.lead_id)).toEqual([leadId]);
    expect(jobs[0]!.payload_json).not.toContain(EMAIL);
    expect(JSON.parse(jobs[0]!.payload_json)).toEqual({ why: 'request', by: APPROVER, email_hash: expect.stringMatching(/^[0-9a-f]{32}$/) });

    const worker = new JobWorker({ db: h.db, audit: h.audit, logger: silentLogger(), handlers: { erase_lead: createEraseHandler({ db: h.db, audit: h.audit, logger: silentLogger() }) }, mayRun: () => true });
    expect(await worker.drain()).toBe(1);
    expect(h.leads.get(leadId)).toBeNull();
    expect(h.db.prepare("SELECT status FROM decisions WHERE lead_id = ?").pluck().all(leadId)).toEqual(['superseded']);

    const row = h.db.prepare("SELECT * FROM outbox WHERE kind = 'slack_redact'").get() as { id: number; lead_id: string; decision_id: string; dedupe_key: string; payload_json: string; attempts: number; correlation_id: string };
    const effect: OutboxEffect = { ...row, kind: 'slack_redact', payload: JSON.parse(row.payload_json) };
    await h.slack.effectHandlers.slack_redact(effect);
    const update = h.fake.callsTo('chat.update').at(-1)!;
    expect(update.body).toMatchObject({ channel: card.channel, ts: card.ts, text: expect.stringMatching(/^Lead erased on request on \d{4}-\d{2}-\d{2}\.$/) });
    expect(JSON.stringify(update.body.blocks)).not.toMatch(/Henrietta|Quist|actions/);

    // Asked again, the address has nothing left.
    expect(await triage(`erase ${EMAIL}`)).toBe(':information_source: no leads for this address: nothing was erased.');
    expect(await triage(`erase ${leadId}`)).toMatch(/already erased .* Nothing was changed\./);
  });
});
