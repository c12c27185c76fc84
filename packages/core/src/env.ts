import type { z } from 'zod';

/**
 * Parses an app's environment once at boot. An empty value counts as unset (as .env files often
 * leave them), and a failure names every variable that is wrong, so a bad deploy stops at once
 * with a message an operator can act on.
 */
export function parseEnvironment<T extends z.ZodType>(schema: T, source: Record<string, string | undefined>, app: string): z.infer<T> {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid ${app} configuration: ${problems}`);
  }
  return parsed.data;
}
