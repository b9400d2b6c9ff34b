import { badUserInput, unauthenticated } from '@letstalk/errors';
import type { UserContext } from '../context.ts';
import { searchUsers } from '../data/user-repository.ts';
import type { QueryResolvers } from '../generated/resolvers.ts';
import { MAX_PAGE_SIZE, MAX_SEARCH_LENGTH } from '../limits.ts';
import { requireViewer } from '@letstalk/server';

const encodeCursor = (key: { sortName: string; id: string }) =>
  Buffer.from(JSON.stringify([key.sortName, key.id])).toString('base64url');

function decodeCursor(cursor: string): { sortName: string; id: string } {
  try {
    const [sortName, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof sortName === 'string' && typeof id === 'string') return { sortName, id };
  } catch {
    // falls through to the error below
  }
  throw badUserInput('The cursor is not one this server gave out.', 'after');
}

export const Query: QueryResolvers<UserContext> = {
  async me(_parent, _args, context) {
    const viewer = requireViewer(context);
    const user = await context.loaders.user.load(viewer.userId);
    if (!user) throw unauthenticated('The account no longer exists.');
    return user;
  },

  async users(_parent, args, context) {
    requireViewer(context);
    const first = args.first ?? 20;
    if (first < 1 || first > MAX_PAGE_SIZE) throw badUserInput(`first must be 1 to ${MAX_PAGE_SIZE}.`, 'first');
    const search = (args.search ?? '').trim().toLowerCase();
    if (search.length > MAX_SEARCH_LENGTH) {
      throw badUserInput(`search may be at most ${MAX_SEARCH_LENGTH} characters.`, 'search');
    }
    // The directory may be seconds behind: from the replica when there is one.
    const rows = await context.services.reads.run((db) =>
      searchUsers(db, { search, first, after: args.after ? decodeCursor(args.after) : undefined }),
    );
    const page = rows.slice(0, first);
    const edges = page.map((user) => ({ cursor: encodeCursor(user), node: user }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: Boolean(args.after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  },

  async user(_parent, { id }, context) {
    requireViewer(context);
    return (await context.loaders.profile.load(id)) ?? null;
  },

  signInMethods(_parent, _args, context) {
    const { env, verifyFacebookToken, sendSignInCode } = context.services;
    return {
      oidcProviders: env.AUTH_OIDC_PROVIDERS.map((provider) => provider.name),
      facebook: Boolean(verifyFacebookToken),
      emailCode: Boolean(sendSignInCode),
    };
  },
};
