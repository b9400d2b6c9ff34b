import type { FileAttachmentResolvers } from '../generated/resolvers.ts';
import { signedFileUrl } from '../serving/signed-url.ts';

/**
 * A file reaches a client only through a field authorized where its data lives (a message the viewer may read,
 * or the uploader's own upload), so resolving one by reference needs no check here, as for an Image.
 */
export const FileAttachment: FileAttachmentResolvers = {
  __resolveReference: (reference, context) => context.loaders.file.load(reference.id),
  size: (file) => file.bytes,
  url: (file, _args, context) =>
    signedFileUrl({ origin: context.services.publicUrl, secret: context.services.urlSecret, fileId: file.id }),
};
