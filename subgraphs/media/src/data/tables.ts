import { outbox } from '@letstalk/events';

export { outbox };

export const tables = { outbox };
