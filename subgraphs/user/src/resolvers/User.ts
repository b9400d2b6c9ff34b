import type { UserContext } from '../context.ts';
import type { UserResolvers } from '../generated/resolvers.ts';

const NEW_USER_DISPLAY_NAME = 'New user';
/** Who sent the messages of an account deleted since. */
const DELETED_USER_DISPLAY_NAME = 'Deleted user';

export const User: UserResolvers<UserContext> = {
  __resolveReference: (reference, context) => context.loaders.profile.load(reference.id),
  avatar: (user) => (user.avatarImageId ? { __typename: 'Image', id: user.avatarImageId } : null),
  displayName: (user) =>
    user.deletedAt ? DELETED_USER_DISPLAY_NAME : `${user.firstName} ${user.lastName}`.trim() || NEW_USER_DISPLAY_NAME,
  email: (user, _args, context) =>
    context.viewer?.userId === user.id || context.signedInUserId === user.id ? user.email : null,
};
