import type { Classification } from '../../core/classification.ts';

export type Intent = Classification['intent'];
export type Priority = Classification['priority'];
export type RecommendedAction = Classification['recommended_action'];
export type Assignee = NonNullable<Classification['assigned_to']>;
export type AutoAction = Exclude<RecommendedAction, 'human_review'>;
