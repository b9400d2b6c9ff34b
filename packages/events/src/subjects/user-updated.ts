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
    /** The profile picture now (absent in events from before avatars). */
    avatarImageId: z.string().nullable().optional(),
    /** The picture it replaced, which is no longer in use. */
    replacedAvatarImageId: z.string().nullable().optional(),
    updatedAt: z.iso.datetime(),
    /** The account was deleted (`deleteAccount`): what other subgraphs keep for the person only (archives) goes. */
    deleted: z.boolean().optional(),
  }),
);
