import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/**
 * A file was uploaded for messages (`uploadFile`) and stored: the message subgraph learns whose it is (only its
 * owner may attach it).
 */
export const mediaFileUploaded = defineEvent(
  'media.file.uploaded',
  1,
  z.object({
    fileId: z.string(),
    ownerId: z.string(),
  }),
);
