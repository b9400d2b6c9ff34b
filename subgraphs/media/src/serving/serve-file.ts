import type { Request, Response } from 'express';
import { exportKey, findDataExport } from '../data/export-repository.ts';
import { findFiles, fileKey } from '../data/file-repository.ts';
import type { MediaDb } from '../data/tables.ts';
import type { Storage } from '../storage/storage.ts';
import { refuse, sendStored } from './send-stored.ts';
import { verifyExportRequest, verifyFileRequest } from './signed-url.ts';

/**
 * `GET /files/<fileId>?expires=&signature=`: a file's bytes for whoever holds a URL the media subgraph signed (it
 * hands URLs only to those who may see the file). Always a download: `Content-Disposition: attachment` with the
 * file's name (RFC 6266, with a UTF-8 `filename*`), served as its stored type, which is never one a browser
 * renders or runs (servedContentType), with nosniff and a sandbox policy ({@link sendStored}). A bad or expired
 * signature is 403.
 */
export function fileRoute(options: { db: MediaDb; storage: Storage; secret: string }) {
  return async (req: Request, res: Response) => {
    const url = new URL(req.originalUrl, 'http://media.invalid');
    const asked = verifyFileRequest({ secret: options.secret, path: url.pathname, query: url.searchParams });
    if (!asked) return refuse(res, 403, 'This link is invalid or has expired.');
    const [file] = await findFiles(options.db, [asked.fileId]);
    if (!file) return refuse(res, 404, 'No such file.');
    // Express writes the disposition (the content-disposition library); the type set below replaces the one it guesses.
    res.attachment(file.name);
    return sendStored(req, res, {
      storage: options.storage,
      key: fileKey(file.id),
      expires: asked.expires,
      headers: { 'content-type': file.contentType },
      missing: 'No such file.',
    });
  };
}

/**
 * `GET /exports/<exportId>?expires=&signature=`: a READY archive (`DataExport.url`, handed only to its owner), as a
 * download named `letstalk-export-<date it was ready>.zip`. 404 once it expired or was deleted.
 */
export function exportRoute(options: { db: MediaDb; storage: Storage; secret: string }) {
  return async (req: Request, res: Response) => {
    const url = new URL(req.originalUrl, 'http://media.invalid');
    const asked = verifyExportRequest({ secret: options.secret, path: url.pathname, query: url.searchParams });
    if (!asked) return refuse(res, 403, 'This link is invalid or has expired.');
    const archive = await findDataExport(options.db, asked.exportId);
    if (archive?.status !== 'READY' || !archive.expiresAt || archive.expiresAt.getTime() <= Date.now())
      return refuse(res, 404, 'No such archive.');
    res.attachment(`letstalk-export-${(archive.readyAt ?? archive.createdAt).toISOString().slice(0, 10)}.zip`);
    return sendStored(req, res, {
      storage: options.storage,
      key: exportKey(archive.id),
      expires: asked.expires,
      headers: { 'content-type': 'application/zip' },
      missing: 'No such archive.',
    });
  };
}
