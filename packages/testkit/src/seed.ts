import { randomBytes, scryptSync } from 'node:crypto';
import type { Db } from '@garrison/db';

export interface TestTeam {
  teamId: string;
  userId: string;
  email: string;
  password: string;
}

/**
 * A fresh user owning a fresh team, so each test sees only its own rows and tests can run twice
 * on one database. The hash uses the same scrypt format as the API.
 */
export async function seedTeam(db: Db, role: 'owner' | 'admin' | 'member' | 'viewer' = 'owner'): Promise<TestTeam> {
  const suffix = randomBytes(5).toString('hex');
  const email = `user-${suffix}@test.garrison.dev`;
  const password = `pw-${suffix}-long-enough`;
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const passwordHash = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
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
