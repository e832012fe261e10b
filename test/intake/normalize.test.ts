import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/core/lead.ts';
import { isWellFormedText } from '../../src/core/text.ts';
import { roleOfLabel } from '../../src/intake/normalize/fields.ts';
import { NORMALIZERS } from '../../src/intake/normalize/index.ts';
import { sample } from './harness.ts';

const NOW = Date.parse('2024-03-10T00:00:00Z');
const normalize = (provider: (typeof PROVIDERS)[number], body: unknown = JSON.parse(sample(provider))) => {
  const r = NORMALIZERS[provider](body, NOW);
  if (!r.ok) throw new Error(`${r.field}: ${r.message}`);
  return r;
};

describe('normalizing each vendor sample to a CanonicalLead', () => {
  it('typeform: answers by field type and title, hidden utm_*, event_id', () => {
    const { lead, eventId } = normalize('typeform');
    expect(eventId).toBe('01HQZ8Y3N5V2K4T6R8W0XJ9ABC');
    expect(lead).toMatchObject({
      name: 'Priya Raman',
      email: 'priya.raman@northwind-logistics.example',
      company: 'Northwind Logistics',
      website: 'https://northwind-logistics.example',
      phone: '+14155550142',
      source: 'typeform',
      submitted_at: '2024-03-04T09:14:02.000Z',
      utm: { source: 'google', medium: 'cpc', campaign: 'q1-ops-automation', term: null, content: null },
    });
    expect(lead.message).toMatch(/^We route ~400 inbound carrier requests/);
    expect(lead.raw_answers['How many employees?']).toEqual({ id: 'c2', label: '201-500' });
  });

  it('tally: first + last name, choice option ids resolved to text, HIDDEN_FIELDS utm, eventId', () => {
    const { lead, eventId } = normalize('tally');
    expect(eventId).toBe('a4cb511e-d513-4fa5-baee-b815d718dfd1');
    expect(lead).toMatchObject({
      name: 'Marco Bianchi',
      email: 'marco@bianchi-studio.example',
      company: 'Bianchi Studio',
      website: 'https://bianchi-studio.example',
      message: 'Looking for a CRM integration for our design agency, ~20 seats.',
      utm: { source: 'newsletter', campaign: 'march-digest', medium: null },
    });
    expect(lead.raw_answers['Team size']).toEqual(['11-50']);
  });

  it('webflow: payload.data by field name, textarea as message, numeric phone, payload.id', () => {
    const { lead, eventId } = normalize('webflow');
    expect(eventId).toBe('6321ca84df3949bfc6752327');
    expect(lead).toMatchObject({ name: 'Zaphod Beeblebrox', email: 'zaphod@heartofgold.example', company: 'Heart of Gold Robotics', phone: '15550000000' });
    expect(lead.message).toContain('80-person support team');
    expect(lead.submitted_at).toBe('2024-03-06T12:35:16.117Z');
  });

  it('formspree: _replyto is the email, _date the submission time, no event id', () => {
    const { lead, eventId } = normalize('formspree');
    expect(eventId).toBeNull();
    expect(lead).toMatchObject({ name: 'Hannah Okafor', email: 'hannah@brightpath-health.example', company: 'BrightPath Health', phone: '+44 20 7946 0958', submitted_at: '2024-03-07T08:01:44.312Z' });
    expect(lead.raw_answers._subject).toBe('New enquiry from brightpath-health.example');
  });

  it('hubspot: contact properties by internal name, latest form submission conversion-id and timestamp', () => {
    const { lead, eventId } = normalize('hubspot');
    expect(eventId).toBe('0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d');
    expect(lead).toMatchObject({ name: 'Diego Alvarez', email: 'diego.alvarez@cobaltfintech.example', company: 'Cobalt Fintech', website: 'https://cobaltfintech.example', submitted_at: new Date(1709800123456).toISOString() });
    expect(lead.message).toContain('SDR team');
  });

  it('hubspot: a customised flat body (properties as plain strings) is read too', () => {
    const { lead, eventId } = normalize('hubspot', { properties: { email: 'Flat@Example.org', firstname: 'Flat' } });
    expect(lead).toMatchObject({ email: 'flat@example.org', name: 'Flat', submitted_at: new Date(NOW).toISOString() });
    expect(eventId).toBeNull();
  });

  it('generic: documented shape, flat or nested utm, extra fields kept raw, lower-cased email', () => {
    const { lead, eventId } = normalize('generic');
    expect(eventId).toBe('site-contact-000123');
    expect(lead).toMatchObject({ email: 'lena.fischer@kraftwerk-energie.example', submitter_ip: '203.0.113.24', utm: { source: 'linkedin', campaign: 'energy-q1' } });
    expect(lead.raw_answers).toMatchObject({ 'Team size': '201-500' });
    const flat = normalize('generic', { email: 'A@B.co', utm_source: 'x', plan: 'pro' }).lead;
    expect(flat).toMatchObject({ email: 'a@b.co', utm: { source: 'x' }, message: '', name: null });
    expect(flat.raw_answers).toEqual({ plan: 'pro' });
  });

  it('every sample parses; each vendor rejects the other vendors’ shapes', () => {
    for (const p of PROVIDERS) {
      expect(NORMALIZERS[p](JSON.parse(sample(p)), NOW).ok).toBe(true);
      const foreign = PROVIDERS.filter((q) => q !== p && !(p === 'generic' || q === 'generic'));
      for (const q of foreign) expect(NORMALIZERS[p](JSON.parse(sample(q)), NOW).ok, `${p} accepted ${q}`).toBe(false);
    }
  });

  it('over-long free text is clipped to the schema limits rather than rejected', () => {
    const { lead } = normalize('generic', { email: 'a@b.co', fields: { Company: 'c'.repeat(1000) }, message: 'm'.repeat(20_000) });
    expect(lead.company).toHaveLength(300);
  });

  it('a clip that falls inside an emoji drops the whole emoji, never half a surrogate pair', () => {
    // 301 and 20,001 UTF-16 units: the generic shape's zod `.max` counts code points (300 / 20,000), so these pass
    // the shape, and buildLead clips them by code units — through the emoji.
    const name = `${'a'.repeat(299)}😀`;
    const message = `${'m'.repeat(19_999)}😀`;
    const { lead } = normalize('generic', { email: 'a@b.co', name, message });
    expect(lead.name).toBe('a'.repeat(299));
    expect(lead.message).toBe('m'.repeat(19_999));
    for (const text of [lead.name ?? '', lead.message]) expect(isWellFormedText(text)).toBe(true);
    // The same through free-form `fields` (labels picked by the heuristics), which have no shape limit.
    const viaFields = normalize('generic', { email: 'a@b.co', fields: { 'Full name': `${name}tail`, 'How can we help?': `${message}tail` } }).lead;
    expect(viaFields).toMatchObject({ name: 'a'.repeat(299), message: 'm'.repeat(19_999) });
  });
});

describe('label heuristics', () => {
  it.each([
    ['Work email', 'email'],
    ['Your E-mail address', 'email'],
    ['_replyto', 'email'],
    ['Company website', 'website'],
    ['Company name', 'company'],
    ['Organisation', 'company'],
    ['Company size', null],
    ['How many employees?', null],
    ['First name', 'first_name'],
    ['lastname', 'last_name'],
    ['Full name', 'name'],
    ['Phone number', 'phone'],
    ['How can we help?', 'message'],
    ['utm_campaign', 'utm_campaign'],
  ])('%s → %s', (label, role) => {
    expect(roleOfLabel(label)).toBe(role);
  });

  it('an "email" answer without an @ (an opt-in) is not taken as the address', () => {
    const r = NORMALIZERS.webflow({ triggerType: 'form_submission', payload: { data: { 'Email me updates': 'true', 'Work email': 'real@corp.io' } } }, NOW);
    expect(r.ok && r.lead.email).toBe('real@corp.io');
  });
});
