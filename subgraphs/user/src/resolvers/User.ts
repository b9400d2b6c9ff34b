import type { UserContext } from '../context.ts';
import { displayNameOf } from '../data/user-repository.ts';
import type { UserResolvers } from '../generated/resolvers.ts';

export const User: UserResolvers<UserContext> = {
  __resolveReference: (reference, context) => context.loaders.profile.load(reference.id),
  avatar: (user) => (user.avatarImageId ? { __typename: 'Image', id: user.avatarImageId } : null),
  displayName: (user) => displayNameOf(user),
  email: (user, _args, context) =>
    context.viewer?.userId === user.id || context.signedInUserId === user.id ? user.email : null,
};
