import { createWriteStream } from 'node:fs';
import { appendFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, asc, eq, ne } from 'drizzle-orm';
import { ZipFile } from 'yazl';
import { DATA_EXPORT_FILE_NAME, DATA_EXPORT_SOURCES, type DataExportSource } from '@letstalk/events';
import { readExportParts } from '../data/export-repository.ts';
import { fileKey } from '../data/file-repository.ts';
import { files, images, type MediaDb } from '../data/tables.ts';
import type { Storage } from '../storage/storage.ts';
import { variantKey } from './image-worker.ts';

/** What the archive says about itself, at its root. */
const README = `Your LetsTalk data

profile.json          your profile, sign-in methods and notification settings
sessions.jsonl        your sign-ins (one JSON object per line)
push-subscriptions.jsonl  the browsers that receive your notifications
chats.jsonl           the chats you are a member of
messages.jsonl        the messages you sent in them (deleted ones are not kept)
blocked-users.jsonl   the people you blocked
images.jsonl          the images you uploaded; the files are in images/
files.jsonl           the files you uploaded; the files are in files/

Times are UTC (ISO 8601). Ids are the ones the LetsTalk API uses.
`;

/** A cleaned original's extension, by the format the image worker wrote. */
const EXTENSION: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif' };

/** One stored object to put in the archive, read only when the zip reaches it. */
interface StoredEntry {
  key: string;
  path: string;
}

/**
 * The media subgraph's own part of a person's archive: a line per image (ready ones, as the cleaned original the
 * worker made: no location or camera data) and per file they uploaded, and where each is in the archive. Link
 * preview images are the server's, not the person's.
 */
async function ownUploads(db: MediaDb, userId: string) {
  const imageRows = await db
    .select()
    .from(images)
    .where(and(eq(images.ownerId, userId), eq(images.status, 'READY'), ne(images.purpose, 'LINK_PREVIEW')))
    .orderBy(asc(images.createdAt));
  const fileRows = await db.select().from(files).where(eq(files.ownerId, userId)).orderBy(asc(files.createdAt));
  const entries: StoredEntry[] = [];
  const imageLines = imageRows.map((image) => {
    const path = `images/${image.id}.${EXTENSION[image.format] ?? 'bin'}`;
    entries.push({ key: variantKey(image.originalKey, 'original'), path });
    const { id, purpose, width, height, createdAt } = image;
    return JSON.stringify({ id, purpose, width, height, createdAt, path });
  });
  const fileLines = fileRows.map((file) => {
    // The name was made safe on upload (no path separators); the id keeps two files of one name apart. The
    // characters Windows refuses in a name are replaced, so the archive unpacks there too.
    const path = `files/${file.id}/${file.name.replace(/[<>:"|?*\\]/g, '_')}`;
    entries.push({ key: fileKey(file.id), path });
    const { id, name, contentType, bytes, createdAt } = file;
    return JSON.stringify({ id, name, contentType, bytes, createdAt, path });
  });
  return { entries, imageLines, fileLines };
}

/**
 * Writes the files the sources sent (each part's chunks appended in order) under `dir`; returns their names in
 * the order they first appeared. A name is one the part contract allows (DATA_EXPORT_FILE_NAME), checked again.
 */
async function writeSourceFiles(
  db: MediaDb,
  exportId: string,
  attempts: Record<DataExportSource, string>,
  dir: string,
): Promise<string[]> {
  const names: string[] = [];
  for (const source of DATA_EXPORT_SOURCES) {
    for await (const chunks of readExportParts(db, exportId, source, attempts[source])) {
      for (const { file, text } of chunks) {
        if (!DATA_EXPORT_FILE_NAME.test(file)) throw new Error(`not an archive file name: ${file}`);
        if (!names.includes(file)) names.push(file);
        await appendFile(join(dir, file), text);
      }
    }
  }
  return names;
}

/**
 * Builds a person's archive as `<dir>/archive.zip` (zip64 when it needs to be): README.txt, what each source sent,
 * and the person's images and files, streamed from the storage one at a time. An upload whose bytes are gone (deleted
 * meanwhile) is left out, or empty when it went while the zip was being written. Rejects when anything fails (a
 * read from the storage broke off, the disk is full), with the zip's file closed.
 */
export async function buildArchive(options: {
  db: MediaDb;
  storage: Storage;
  exportId: string;
  userId: string;
  attempts: Record<DataExportSource, string>;
  dir: string;
}): Promise<{ path: string; bytes: number }> {
  const { db, storage, dir } = options;
  const sourceDir = join(dir, 'sources');
  await mkdir(sourceDir, { recursive: true });
  const names = await writeSourceFiles(db, options.exportId, options.attempts, sourceDir);
  const uploads = await ownUploads(db, options.userId);

  const zip = new ZipFile();
  const path = join(dir, 'archive.zip');
  const output = createWriteStream(path);
  // A failed input stream is reported on the zip (see below), which then never ends its output: both end the build.
  const failed = new Promise<never>((_, reject) => zip.once('error', reject));
  const written = pipeline(zip.outputStream, output);
  zip.addBuffer(Buffer.from(README), 'README.txt');
  for (const name of names) zip.addFile(join(sourceDir, name), name);
  zip.addBuffer(Buffer.from(uploads.imageLines.map((line) => `${line}\n`).join('')), 'images.jsonl');
  zip.addBuffer(Buffer.from(uploads.fileLines.map((line) => `${line}\n`).join('')), 'files.jsonl');
  for (const entry of uploads.entries) {
    if (!(await storage.head(entry.key))) continue;
    // Images are compressed already, and a file's type is unknown: stored as they are, read when the zip gets there.
    zip.addReadStreamLazy(entry.path, { compress: false }, (done) => {
      storage.read(entry.key).then(
        (stream = Readable.from([])) => {
          // yazl does not watch a stream it is handed: one that breaks off would leave the zip waiting for good.
          stream.once('error', (error) => zip.emit('error', error));
          done(null, stream);
        },
        (error: unknown) => done(error, undefined as never),
      );
    });
  }
  zip.end();
  try {
    await Promise.race([written, failed]);
  } catch (error) {
    output.destroy();
    throw error;
  }
  return { path, bytes: (await stat(path)).size };
}
