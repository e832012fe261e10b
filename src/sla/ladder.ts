import { addWorkingMs, type Calendar } from '../routing/hours.ts';
import { durationMs } from '../policy/fields.ts';
import type { SlaStep } from '../policy/routingSchema.ts';
import type { Policy, QueueName } from '../policy/schema.ts';
import { poolCalendars } from '../routing/people.ts';

export interface LadderInput {
  steps: readonly SlaStep[];
  /** The pool's working time (any member open); null when the clock runs always. */
  calendars: readonly Calendar[] | null;
  assignment: { id: number; assigned_at: number; accepted_at: number | null };
  /** When the lead was first assigned: escalation counts the lead's whole wait, not the current holder's. */
  firstAssignedAt: number;
  fired: ReadonlyArray<{ assignment_id: number; step: number; kind: SlaStep['do'] }>;
}

export interface DueStep {
  step: number;
  do: SlaStep['do'];
  due_at: number;
  /** The step's `after`, for the plain-words reason ("not accepted within 30 min"). */
  after: number;
}

/**
 * The ladder's next step that is due at `now`, or null. Remind and reassign run on the current assignment's
 * clock (a reassign restarts it for the new holder); escalate runs on the lead's clock and fires once per lead.
 * With working hours, only the pool's open time counts: a lead that arrives at night starts at the next opening.
 */
export function nextStep(input: LadderInput, now: number): DueStep | null {
  return earliest(pendingSteps(input).filter((s) => s.due_at <= now));
}

/** The step the SLA clock runs toward (due or not): what "My leads" shows. */
export function upcomingStep(input: LadderInput): DueStep | null {
  return earliest(pendingSteps(input));
}

/** Every step not fired yet with its due time; none once the assignee has accepted. */
function pendingSteps(input: LadderInput): DueStep[] {
  if (input.assignment.accepted_at !== null) return [];
  const out: DueStep[] = [];
  input.steps.forEach((step, index) => {
    const perLead = step.do === 'escalate';
    const fired = input.fired.some((f) => f.step === index && f.kind === step.do && (perLead || f.assignment_id === input.assignment.id));
    if (fired) return;
    const from = perLead ? input.firstAssignedAt : input.assignment.assigned_at;
    const after = durationMs(step.after);
    const due = input.calendars ? addWorkingMs(input.calendars, from, after) : from + after;
    if (due !== null) out.push({ step: index, do: step.do, due_at: due, after });
  });
  return out;
}

const earliest = (steps: DueStep[]): DueStep | null => steps.reduce<DueStep | null>((a, s) => (!a || s.due_at < a.due_at ? s : a), null);

/** The queue's ladder; a queue without one keeps the one-shot first-touch reminder it always had. */
export function ladderOf(queue: { sla?: SlaStep[] | undefined }, firstTouchMinutes: number): SlaStep[] {
  return queue.sla ?? [{ after: `${firstTouchMinutes}m`, do: 'remind' }];
}

/** An assignment's ladder and the clock it runs on (its pool's working time, or none); null for an unknown queue. */
export function ladderFor(policy: Policy, queueName: string, pool: string | null): Pick<LadderInput, 'steps' | 'calendars'> | null {
  const queue = policy.routing.queues[queueName as QueueName];
  if (!queue) return null;
  return {
    steps: ladderOf(queue, policy.sla.first_touch_minutes),
    calendars: queue.clock === 'working_hours' ? poolCalendars(policy, pool ?? queue.pool ?? null) : null,
  };
}
