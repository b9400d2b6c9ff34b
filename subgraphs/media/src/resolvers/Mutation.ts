import { writeWithEvents } from '@letstalk/events';
import { consumePoint, requireViewer } from '@letstalk/server';
import { createImageWithinQuota } from '../data/image-repository.ts';
import type { MutationResolvers } from '../generated/resolvers.ts';
import { receiveImage } from '../upload/receive-image.ts';

export const Mutation: MutationResolvers = {
  async uploadImage(_parent, { file, purpose }, context) {
    const viewer = requireViewer(context);
    const { storage, uploadLimiter, uploadQuota, uploadDir } = context.services;
    await consumePoint(uploadLimiter, viewer.userId);
    // A person whose quota is used up is refused before a byte is read.
    await uploadQuota.checkRoom(context.db, viewer.userId);
    const received = await receiveImage(file, uploadDir);
    try {
      const giveBack = await uploadQuota.takeForToday(viewer.userId, received.bytes);
      try {
        const created = await writeWithEvents(
          context.services.relay,
          () =>
            createImageWithinQuota(
              context.db,
              {
                ownerId: viewer.userId,
                purpose,
                originalKey: received.key,
                format: received.format,
                bytes: received.bytes,
              },
              uploadQuota.limits.bytesStored,
              () => storage.putFile(received.key, received.path, `image/${received.format}`),
            ),
          (outcome) => !('refused' in outcome),
        );
        if ('refused' in created) throw uploadQuota.storedQuotaExceeded(created.refused.storedBytes);
        return created.image;
      } catch (error) {
        await giveBack();
        throw error;
      }
    } finally {
      await received.discard();
    }
  },
};
