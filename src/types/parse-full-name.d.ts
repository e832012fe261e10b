// The package ships no declarations.
declare module 'parse-full-name' {
  export interface ParsedName { title: string; first: string; middle: string; last: string; nick: string; suffix: string; error: string[] }
  /** fixCase 0 keeps the letters as written; stopOnError 0 reports problems in `error` instead of throwing. */
  export function parseFullName(name: string, partToReturn?: 'all', fixCase?: 0 | 1 | -1, stopOnError?: 0 | 1, useLongLists?: 0 | 1): ParsedName;
}
