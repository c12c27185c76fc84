import type { z } from 'zod';
import { DomainError, ErrorCode } from '@garrison/core';

/** Parses input with a contract schema; failures name each field and what is wrong with it. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', problem: issue.message }));
  const summary = fields.map((field) => `${field.field} ${field.problem}`).join('; ');
  throw new DomainError(ErrorCode.InvalidInput, `Invalid request: ${summary}.`, { fields });
}
