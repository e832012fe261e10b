import type { CardState } from '../../blocks/model.ts';

/** A fixed card state (no clock) for snapshots. */
export function cardState(over: Partial<CardState> = {}): CardState {
  return {
    lead: {
      id: '7f1c2a9e-0000-4000-8000-000000000001', name: 'Dana Buyer', email: 'dana@bigco.example', company: 'BigCo', website: 'https://bigco.example',
      phone: null, message: 'We want a demo for 200 seats.', source: 'typeform', utm: { source: null, medium: null, campaign: null, term: null, content: null },
      submitted_at: '2026-11-20T10:00:00.000Z', submitter_ip: null, raw_answers: {},
    },
    classification: {
      intent: 'buying', fit_score: 82, fit_reasoning: 'SaaS company, 400 employees, asks for a demo for 200 seats.', confidence: 0.62,
      recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', summary_for_slack: 'Demo request for 200 seats.',
    },
    classifier_failure: null,
    decision: {
      id: '9a0b1c2d-0000-4000-8000-000000000002', version: 1, status: 'pending_review', final_action: 'human_review', route: 'sales', priority: 'high',
      rules: [{ rule: 'confidence_floor', reason: 'confidence 0.62 below 0.75' }], held_actions: ['crm_upsert_contact', 'slack_post_lead'],
      decided_by: null, resolved_at: null, human: null, readings: null,
    },
    claim: null,
    owner: null,
    crm_url: 'https://app.hubspot.com/contacts/123/record/0-1/456',
    ...over,
  };
}

export const HUGE = 'x'.repeat(5000);
