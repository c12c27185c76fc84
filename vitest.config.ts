import { defineConfig } from 'vitest/config';

/**
 * Four tiers (CONTRIBUTING.md): unit (no services), int (real Postgres + Redis), docker (real
 * engine and workspace image), e2e (the running stack in headless Chromium). The service tiers
 * run with --no-file-parallelism (package.json) so their files never fight over one engine.
 */
const shared = { exclude: ['**/node_modules/**', '**/.next/**', '**/dist/**'] };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['{apps,packages}/*/test/**/*.test.ts'],
          exclude: [...shared.exclude, '**/*.{int,docker,e2e}.test.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'int',
          include: ['{apps,packages}/*/test/**/*.int.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          ...shared,
          name: 'docker',
          include: ['{apps,packages}/*/test/**/*.docker.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          ...shared,
          name: 'e2e',
          include: ['{apps,packages}/*/test/**/*.e2e.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
