import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError, ErrorCode } from '@garrison/core';

/** Consecutive wrong passwords for one email from one address before the first lockout. */
export const FREE_FAILURES = 5;
const FIRST_LOCKOUT_SECONDS = 60;
const MAX_LOCKOUT_SECONDS = 15 * 60;
/** Wrong passwords from one address across all emails (password spraying) per window. */
const IP_FAILURES = 50;
const IP_WINDOW_SECONDS = 15 * 60;

/** After the 5th failure: 1 min, then 2, 4, 8, capped at 15 min per further failure. */
export function lockoutSeconds(consecutiveFailures: number): number {
  if (consecutiveFailures < FREE_FAILURES) return 0;
  return Math.min(FIRST_LOCKOUT_SECONDS * 2 ** (consecutiveFailures - FREE_FAILURES), MAX_LOCKOUT_SECONDS);
}

function tooMany(seconds: number, what: string): DomainError {
  const wait = Math.max(1, Math.ceil(seconds));
  const when = wait < 90 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`;
  return new DomainError(ErrorCode.TooManyAttempts, `${what} Try again in ${when}.`, { retryAfterSeconds: wait });
}

/** A limiter that refuses with a RateLimiterRes; anything else (Redis down) is a real error. */
async function consume(limiter: RateLimiterRedis, key: string): Promise<RateLimiterRes | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) return refusal;
    throw refusal;
  }
}

export interface SignInGuard {
  /** Throws too_many_attempts while this email+address is locked out or the address is over its budget. */
  check(email: string, ip: string): Promise<void>;
  /** Counts a wrong password; returns the lockout it started (0 if none) so the caller can audit it. */
  recordFailure(email: string, ip: string): Promise<number>;
  recordSuccess(email: string, ip: string): Promise<void>;
}

export interface AttemptLimits {
  signIn: SignInGuard;
  /** Invite links are unguessable; this bounds account creation and password hashing per address. */
  inviteAcceptance(ip: string): Promise<void>;
  /** Token creation per user: a leaked session should not mint tokens in bulk. */
  tokenCreation(userId: string): Promise<void>;
}

/** Counters live in the API's Redis under REDIS_PREFIX, so every API node shares them. */
export function createAttemptLimits(redis: Redis, redisPrefix: string): AttemptLimits {
  const limiter = (name: string, points: number, duration: number) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix: `${redisPrefix}:ratelimit:${name}`, points, duration });
  // Counted until a success resets them (a day at most); the lockout itself is a separate key.
  const failures = limiter('signin-failures', 1_000_000, 24 * 3600);
  const lockouts = limiter('signin-lockout', 1, MAX_LOCKOUT_SECONDS);
  const ipFailures = limiter('signin-ip', IP_FAILURES, IP_WINDOW_SECONDS);
  const invites = limiter('invite-accept', 30, 15 * 60);
  const tokens = limiter('token-create', 30, 3600);
  const pairKey = (email: string, ip: string) => `${email.toLowerCase()}|${ip}`;

  return {
    signIn: {
      async check(email, ip) {
        const locked = await lockouts.get(pairKey(email, ip));
        if (locked && locked.consumedPoints > 1) {
          throw tooMany(locked.msBeforeNext / 1000, 'Too many wrong passwords for this account from your network.');
        }
        const fromIp = await ipFailures.get(ip);
        if (fromIp && fromIp.consumedPoints >= IP_FAILURES) {
          throw tooMany(fromIp.msBeforeNext / 1000, 'Too many failed sign-ins from your network.');
        }
      },
      async recordFailure(email, ip) {
        await consume(ipFailures, ip);
        const counted = await failures.consume(pairKey(email, ip));
        const seconds = lockoutSeconds(counted.consumedPoints);
        if (seconds > 0) await lockouts.block(pairKey(email, ip), seconds);
        return seconds;
      },
      async recordSuccess(email, ip) {
        await Promise.all([failures.delete(pairKey(email, ip)), lockouts.delete(pairKey(email, ip))]);
      },
    },
    async inviteAcceptance(ip) {
      const refused = await consume(invites, ip);
      if (refused) throw tooMany(refused.msBeforeNext / 1000, 'Too many invite attempts from your network.');
    },
    async tokenCreation(userId) {
      const refused = await consume(tokens, userId);
      if (refused) throw tooMany(refused.msBeforeNext / 1000, 'You created many API tokens in the last hour; revoke unused ones.');
    },
  };
}
