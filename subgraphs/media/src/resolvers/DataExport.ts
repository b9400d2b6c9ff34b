import type { DataExportResolvers } from '../generated/resolvers.ts';
import { signedExportUrl } from '../serving/signed-url.ts';

/** An archive reaches a client only through `dataExports` or `exportMyData`, both the viewer's own. */
export const DataExport: DataExportResolvers = {
  requestedAt: (row) => row.createdAt,
  size: (row) => (row.status === 'READY' ? row.bytes : null),
  expiresAt: (row) => (row.status === 'READY' ? row.expiresAt : null),
  url: (row, _args, context) =>
    row.status === 'READY'
      ? signedExportUrl({ origin: context.services.publicUrl, secret: context.services.urlSecret, exportId: row.id })
      : null,
};
