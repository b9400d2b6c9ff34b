export * from './contract.ts';
export * from './connection.ts';
export * from './outbox.ts';
export { userCreated } from './subjects/user-created.ts';
export { userUpdated } from './subjects/user-updated.ts';
