export * from './api-client.ts';
export * from './free-port.ts';
export * from './managed-process.ts';
export * from './seed.ts';
export * from './socket-client.ts';
export * from './stack.ts';
export * from './wait-for.ts';
export * from './docker-cleanup.ts';
