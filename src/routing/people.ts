import type { Policy } from '../policy/schema.ts';
import type { Person } from '../policy/routingSchema.ts';
import { parseHours, type Calendar, type WeeklyHours } from './hours.ts';

// Hours expressions are validated when the policy loads; each is parsed once per process.
const parsed = new Map<string, WeeklyHours>();

export function personCalendar(person: Pick<Person, 'hours' | 'timezone'>): Calendar {
  let hours = parsed.get(person.hours);
  if (!hours) parsed.set(person.hours, (hours = parseHours(person.hours)));
  return { hours, timezone: person.timezone };
}

/** A pool's working time: any active member at work. Null for an always-open pool, or no pool: its clock never stops. */
export function poolCalendars(policy: Policy, pool: string | null): Calendar[] | null {
  const p = pool ? policy.pools[pool] : undefined;
  if (!p || p.always_open) return null;
  const people = p.members.map((m) => policy.people[m.user]).filter((x): x is Person => x !== undefined && x.active);
  return people.length ? people.map(personCalendar) : null;
}

/** Slack user → HubSpot owner id: each person's hubspot_owner_id, with crm.owner_map (older, explicit) winning. */
export function crmOwnerMap(policy: Policy): Record<string, string> {
  const fromPeople = Object.entries(policy.people).flatMap(([user, p]) => (p.hubspot_owner_id ? [[user, p.hubspot_owner_id] as const] : []));
  return { ...Object.fromEntries(fromPeople), ...policy.crm.owner_map };
}
