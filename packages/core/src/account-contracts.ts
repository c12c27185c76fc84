import { z } from 'zod';
import { PASSWORD_MIN_CHARS } from './team-contracts.ts';

/** POST /api/v1/auth/password: every other session of the user ends; API tokens stay valid. */
export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1, 'must not be empty').max(1024),
  newPassword: z.string().min(PASSWORD_MIN_CHARS, `must be at least ${PASSWORD_MIN_CHARS} characters`).max(1024),
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

/** GET /api/v1/auth/csrf: send `token` as the x-csrf-token header on every write made with the session cookie. */
export const CsrfTokenReply = z.object({ token: z.string() });
export type CsrfTokenReply = z.infer<typeof CsrfTokenReply>;
