import { randomUUID } from 'node:crypto';
import { fileTypeFromFile } from 'file-type';
import { writeWithEvents } from '@letstalk/events';
import { rateLimited } from '@letstalk/errors';
import { consumePoint, requireViewer } from '@letstalk/server';
import type { MediaContext } from '../context.ts';
import { requestDataExport } from '../data/export-repository.ts';
import { fileKey, insertFile } from '../data/file-repository.ts';
import { createImageWithinQuota, storeWithinQuota } from '../data/image-repository.ts';
import type { MutationResolvers } from '../generated/resolvers.ts';
import { fileNameOf, servedContentType } from '../upload/file-content.ts';
import { receiveImage } from '../upload/receive-image.ts';
import { receiveUpload, type ReceivedUpload } from '../upload/receive-upload.ts';

type Stored<Row> = { stored: Row } | { refused: { storedBytes: number } };

/**
 * What every upload goes through: the upload rate limit, the quotas checked before a byte is read, the file
 * received (`receive`), counted against the day, then stored and recorded (`create`) within the stored quota.
 * A refused or failed upload gives its bytes back to the day; the temporary file is always removed.
 */
async function acceptUpload<Received extends ReceivedUpload, Row>(
  context: MediaContext,
  receive: () => Promise<Received>,
  create: (ownerId: string, received: Received) => Promise<Stored<Row>>,
): Promise<Row> {
  const viewer = requireViewer(context);
  const { uploadLimiter, uploadQuota } = context.services;
  await consumePoint(uploadLimiter, viewer.userId);
  // A person whose quota is used up is refused before a byte is read.
  await uploadQuota.checkRoom(context.db, viewer.userId);
  const received = await receive();
  try {
    const giveBack = await uploadQuota.takeForToday(viewer.userId, received.bytes);
    try {
      const created = await writeWithEvents(
        context.services.relay,
        () => create(viewer.userId, received),
        (outcome) => !('refused' in outcome),
      );
      if ('refused' in created) throw uploadQuota.storedQuotaExceeded(created.refused.storedBytes);
      return created.stored;
    } catch (error) {
      await giveBack();
      throw error;
    }
  } finally {
    await received.discard();
  }
}

export const Mutation: MutationResolvers = {
  uploadImage: (_parent, { file, purpose }, context) => {
    const { storage, uploadQuota, uploadDir } = context.services;
    return acceptUpload(
      context,
      () => receiveImage(file, uploadDir),
      (ownerId, received) =>
        createImageWithinQuota(
          context.db,
          { ownerId, purpose, originalKey: received.key, format: received.format, bytes: received.bytes },
          uploadQuota.limits.bytesStored,
          () => storage.putFile(received.key, received.path, `image/${received.format}`),
        ),
    );
  },

  uploadFile: (_parent, { file }, context) => {
    const { storage, uploadQuota, uploadDir, maxFileBytes } = context.services;
    return acceptUpload(
      context,
      () => receiveUpload(file, uploadDir, maxFileBytes),
      async (ownerId, received) => {
        const name = fileNameOf(received.filename);
        const contentType = servedContentType((await fileTypeFromFile(received.path))?.mime, name);
        const id = randomUUID();
        return storeWithinQuota(
          context.db,
          { ownerId, bytes: received.bytes },
          uploadQuota.limits.bytesStored,
          () => storage.putFile(fileKey(id), received.path, contentType),
          (tx) => insertFile(tx, { id, ownerId, contentHash: received.key, name, contentType, bytes: received.bytes }),
        );
      },
    );
  },

  async exportMyData(_parent, _args, context) {
    const viewer = requireViewer(context);
    const asked = await writeWithEvents(
      context.services.relay,
      () => requestDataExport(context.db, viewer.userId),
      (outcome) => 'started' in outcome && outcome.started,
    );
    if ('retryAfterSeconds' in asked) throw rateLimited(asked.retryAfterSeconds);
    return asked.export;
  },
};
