import { consumePoint, requireViewer } from '@letstalk/server';
import { createImage } from '../data/image-repository.ts';
import type { MutationResolvers } from '../generated/resolvers.ts';
import { receiveImage } from '../upload/receive-image.ts';

export const Mutation: MutationResolvers = {
  async uploadImage(_parent, { file, purpose }, context) {
    const viewer = requireViewer(context);
    await consumePoint(context.services.uploadLimiter, viewer.userId);
    const received = await receiveImage(file, context.services.uploadDir);
    try {
      await context.services.storage.putFile(received.key, received.path, `image/${received.format}`);
    } finally {
      await received.discard();
    }
    const image = await createImage(context.db, {
      ownerId: viewer.userId,
      purpose,
      originalKey: received.key,
      format: received.format,
      bytes: received.bytes,
    });
    context.services.relay.nudge();
    return image;
  },
};
