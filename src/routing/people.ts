import type { Policy } from '../policy/schema.ts';
import type { Person } from '../policy/routingSchema.ts';
import { hoursOf } from './eligibility.ts';
import type { Calendar } from './hours.ts';

export function personCalendar(person: Pick<Person, 'hours' | 'timezone'>): Calendar {
  return { hours: hoursOf(person.hours), timezone: person.timezone };
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
