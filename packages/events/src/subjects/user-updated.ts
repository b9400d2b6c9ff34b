import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** A profile changed; carries the public fields so that consumers need not query back. */
export const userUpdated = defineEvent(
  'user.updated',
  1,
  z.object({
    userId: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    updatedAt: z.iso.datetime(),
  }),
);
