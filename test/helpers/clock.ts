/**
 * A Tuesday, 10:00 UTC: in the example policy Ana (Berlin) and Chidi (London) are at work, Ben (New York)
 * and Dana (Los Angeles) are not, so routing in tests does not depend on when the suite runs.
 */
export const DEFAULT_TEST_NOW = Date.parse('2026-12-01T10:00:00Z');

export interface TestClock {
  now: () => number;
  set(at: number | string): void;
  advance(ms: number): void;
}

export function testClock(start: number): TestClock {
  let offset = start - Date.now();
  return {
    now: () => Date.now() + offset,
    set: (at) => { offset = (typeof at === 'string' ? Date.parse(at) : at) - Date.now(); },
    advance: (ms) => { offset += ms; },
  };
}
