import { core } from './001_core.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Ordered; a released migration is never edited, only followed by a new one. */
export const MIGRATIONS: Migration[] = [core];
