import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { AppError, firstIssueLine } from '../core/errors.ts';
import { PolicySchema, type Policy } from './schema.ts';

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
    throw new AppError('policy_invalid', `${path}: cannot read policy file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, undefined, { cause: err });
  }
  return parsePolicy(text, path);
}

export function parsePolicy(text: string, path = '(inline)'): LoadedPolicy {
  const errors: ParseError[] = [];
  const raw: unknown = parse(text, errors, { allowTrailingComma: true });
  const syntax = errors[0];
  if (syntax) {
    const line = text.slice(0, syntax.offset).split('\n').length;
    throw new AppError('policy_invalid', `${path}: line ${line}: ${printParseErrorCode(syntax.error)}`);
  }
  const result = PolicySchema.safeParse(raw);
  if (!result.success) {
    const { field, line } = firstIssueLine(result.error.issues);
    throw new AppError('policy_invalid', `${path}: ${line}`, field);
  }
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  return { policy: result.data, hash, path };
}
