import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** A new account was created (first sign-in with any method). */
export const userCreated = defineEvent(
  'user.created',
  1,
  z.object({
    userId: z.string(),
    createdAt: z.iso.datetime(),
  }),
);
