// The package ships its declarations as `index.ts.d`, which TypeScript does not find.
declare module 'unicode-confusables' {
  export function isConfusing(input: string): boolean;
  export function rectifyConfusion(input: string): string;
}
