export * from './task-store';
export { MemoryTaskStore } from './memory';
export { RedisTaskStore, redactUrl, type RedisTaskStoreOptions } from './redis';
