import { randomBytes } from 'node:crypto';
import { hash, type Algorithm } from '@node-rs/argon2';
import type { Db } from '@garrison/db';

/** argon2id as the API writes it (apps/api/src/auth/secrets.ts); 2 is Algorithm.Argon2id, a const enum. */
export function hashTestPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2 as Algorithm, memoryCost: 65536, timeCost: 3, parallelism: 1 });
}

export interface TestTeam {
  teamId: string;
  userId: string;
  email: string;
  password: string;
}

/**
 * A fresh user owning a fresh team, so each test sees only its own rows and tests can run twice
 * on one database. The hash uses the API's argon2id format and parameters.
 */
export async function seedTeam(db: Db, role: 'owner' | 'admin' | 'member' | 'viewer' = 'owner'): Promise<TestTeam> {
  const suffix = randomBytes(5).toString('hex');
  const email = `user-${suffix}@test.garrison.dev`;
  const password = `pw-${suffix}-long-enough`;
  const passwordHash = await hashTestPassword(password);
  const user = await db.prisma.user.create({ data: { email, passwordHash } });
  const team = await db.prisma.team.create({
    data: { name: `team-${suffix}`, memberships: { create: { userId: user.id, role } } },
  });
  return { teamId: team.id, userId: user.id, email, password };
}

/** Removes a seeded team with everything it owns (workspaces, missions, events) and its user. */
export async function deleteTeam(db: Db, team: TestTeam): Promise<void> {
  await db.prisma.team.deleteMany({ where: { id: team.teamId } });
  await db.prisma.user.deleteMany({ where: { id: team.userId } });
}
