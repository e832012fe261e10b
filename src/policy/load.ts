import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse, visit, ParseErrorCode, type ParseError } from 'jsonc-parser';
import { AppError, firstIssueLine } from '../core/errors.ts';
import { PolicySchema, type Policy } from './schema.ts';

/** How a policy (and a prompt) text is named wherever it is recorded: sha256 of the text, first 16 hex chars. */
export const textHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

export interface LoadedPolicy {
  policy: Policy;
  /** sha256 of the file's bytes, first 16 hex chars: recorded with every decision. */
  hash: string;
  path: string;
}

/** Reads a JSON-with-comments policy file; any problem is one AppError naming the file and the field. */
export function loadPolicy(path: string): LoadedPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'no such policy file (set POLICY_PATH to the one to use)' : `cannot read policy file (${code})`;
    throw new AppError('policy_invalid', `${path}: ${why}`, undefined, { cause: err });
  }
  return parsePolicy(text, path);
}

export function parsePolicy(text: string, path = '(inline)'): LoadedPolicy {
  const errors: ParseError[] = [];
  const raw: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length) throw new AppError('policy_invalid', `${path}: ${describeSyntaxError(text)}`);
  const result = PolicySchema.safeParse(raw);
  if (!result.success) {
    const { field, line } = firstIssueLine(result.error.issues);
    throw new AppError('policy_invalid', `${path}: ${line}`, field);
  }
  return { policy: result.data, hash: textHash(text), path };
}

type Expecting = 'property' | 'value';

/** What each of jsonc-parser's error codes means to a person editing the file. */
function expectation(code: ParseErrorCode, container: 'object' | 'array' | null, expecting: Expecting): string {
  switch (code) {
    case ParseErrorCode.InvalidSymbol:
      return expecting === 'property' ? 'expected a property name in double quotes' : 'expected a value (a string in double quotes, a number, true, false, null, an object or an array)';
    case ParseErrorCode.InvalidNumberFormat: return 'expected a number';
    case ParseErrorCode.PropertyNameExpected: return 'expected a property name in double quotes';
    case ParseErrorCode.ValueExpected: return 'expected a value';
    case ParseErrorCode.ColonExpected: return 'expected a colon after the property name';
    case ParseErrorCode.CommaExpected: return container === 'array' ? 'expected a comma or closing bracket' : 'expected a comma or closing brace';
    case ParseErrorCode.CloseBraceExpected: return 'expected a closing brace';
    case ParseErrorCode.CloseBracketExpected: return 'expected a closing bracket';
    case ParseErrorCode.EndOfFileExpected: return 'expected the end of the file (the policy is one object)';
    case ParseErrorCode.InvalidCommentToken: return 'expected a comment (// or /* */)';
    case ParseErrorCode.UnexpectedEndOfComment: return 'expected */ to close the comment';
    case ParseErrorCode.UnexpectedEndOfString: return 'expected a closing double quote on the same line';
    case ParseErrorCode.UnexpectedEndOfNumber: return 'expected digits to finish the number';
    case ParseErrorCode.InvalidUnicode: return 'expected four hex digits after \\u';
    case ParseErrorCode.InvalidEscapeCharacter: return 'expected a valid escape in the string (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)';
    case ParseErrorCode.InvalidCharacter: return 'expected no control characters inside a string (write \\n or \\t instead)';
    default: return 'expected valid JSON';
  }
}

/** The offending text as the person typed it: one line, at most 40 characters. */
function found(text: string, offset: number, length: number): string {
  if (offset >= text.length) return 'the end of the file';
  const token = text.slice(offset, offset + Math.max(length, 1)).replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  const clipped = token.length > 40 ? `${token.slice(0, 39)}…` : token;
  return clipped.startsWith('"') ? clipped : `"${clipped}"`;
}

/** `line 8, column 3: expected a comma or closing brace (found "name")` for the first syntax error in `text`. */
function describeSyntaxError(text: string): string {
  const stack: Array<'object' | 'array'> = [];
  let expecting: Expecting = 'value';
  let first: string | undefined;
  visit(text, {
    onObjectBegin: () => { stack.push('object'); expecting = 'property'; },
    onObjectEnd: () => { stack.pop(); },
    onArrayBegin: () => { stack.push('array'); expecting = 'value'; },
    onArrayEnd: () => { stack.pop(); },
    onObjectProperty: () => { expecting = 'value'; },
    onSeparator: (sep) => { expecting = sep === ',' && stack.at(-1) === 'object' ? 'property' : 'value'; },
    onError: (code, offset, length, startLine, startCharacter) => {
      first ??= `line ${startLine + 1}, column ${startCharacter + 1}: ${expectation(code, stack.at(-1) ?? null, expecting)} (found ${found(text, offset, length)})`;
    },
  }, { allowTrailingComma: true });
  return first ?? 'not valid JSON';
}
