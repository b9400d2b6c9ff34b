import { requireViewer } from '@letstalk/server';
import { listDataExports } from '../data/export-repository.ts';
import type { QueryResolvers } from '../generated/resolvers.ts';

export const Query: QueryResolvers = {
  // Only the viewer's own: an archive is never anyone else's to see.
  dataExports: (_parent, _args, context) => listDataExports(context.db, requireViewer(context).userId),
};
