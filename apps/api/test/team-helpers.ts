import { randomBytes, scryptSync } from 'node:crypto';
import type { Db } from '@garrison/db';
import { ApiClient } from '@garrison/testkit';

export interface TestMember {
  userId: string;
  email: string;
  password: string;
}

/** A user whose only membership is `role` in an existing team, so their session acts for it. */
export async function seedMember(db: Db, teamId: string, role: 'owner' | 'admin' | 'member' | 'viewer'): Promise<TestMember> {
  const suffix = randomBytes(5).toString('hex');
  const email = `member-${suffix}@test.garrison.dev`;
  const password = `pw-${suffix}-long-enough`;
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const passwordHash = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
  const user = await db.prisma.user.create({ data: { email, passwordHash, memberships: { create: { teamId, role } } } });
  return { userId: user.id, email, password };
}

export async function signIn(baseUrl: string, member: { email: string; password: string }): Promise<ApiClient> {
  const client = new ApiClient(baseUrl);
  await client.login(member.email, member.password);
  return client;
}

export async function deleteUsers(db: Db, userIds: string[]): Promise<void> {
  await db.prisma.user.deleteMany({ where: { id: { in: userIds } } });
}
