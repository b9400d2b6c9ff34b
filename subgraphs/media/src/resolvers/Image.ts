import { signedImageUrl } from '../serving/signed-url.ts';
import type { ImageResolvers } from '../generated/resolvers.ts';

/**
 * An image reaches a client only through a field that was authorized where its data lives (a message the
 * viewer may read, a profile, the uploader's own upload), so resolving one by reference needs no check here.
 */
export const Image: ImageResolvers = {
  __resolveReference: (reference, context) => context.loaders.image.load(reference.id),
  url: (image, { variant }, context) =>
    image.status === 'READY'
      ? signedImageUrl({
          origin: context.services.publicUrl,
          secret: context.services.urlSecret,
          imageId: image.id,
          variant,
        })
      : null,
};
