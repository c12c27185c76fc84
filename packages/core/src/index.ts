export * from './errors.ts';
export * from './mission-status.ts';
export * from './events.ts';
export * from './agents.ts';
export * from './api-contracts.ts';
export * from './queue-contracts.ts';
export * from './socket-contracts.ts';
export * from './runner-contracts.ts';
