import { z } from 'zod';

/** A branch name git accepts (check-ref-format's main rules), never an option. */
export const GitBranchName = z
  .string()
  .trim()
  .min(1, 'must name a branch')
  .max(200, 'must be at most 200 characters')
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._/-]*$/, 'must be a branch name like main or release/1.2')
  .refine(
    (value) => !value.includes('..') && !value.includes('//') && !value.endsWith('/') && !value.endsWith('.') && !value.endsWith('.lock'),
    'must be a branch name like main or release/1.2',
  );
