import { defineConfig } from 'prisma/config';

// Prisma 7 does not read .env itself; scripts/start.mjs and the test command export DATABASE_URL.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/garrison' },
});
