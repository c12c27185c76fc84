export * from './client.ts';
export * from './repositories/events.repo.ts';
export * from './repositories/mission-status.repo.ts';
export * from './repositories/missions.repo.ts';
export * from './repositories/workspaces.repo.ts';
export * from './repositories/identity.repo.ts';
export * from './repositories/workspace-status.repo.ts';
export * from './repositories/templates.repo.ts';
