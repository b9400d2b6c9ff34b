import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/**
 * Someone asked for an archive of their data (`exportMyData`, the media subgraph's). Each subgraph that owns some
 * of it answers with its parts ({@link dataExportPart}); the media worker puts them, and the person's images and
 * files, into one zip.
 */
export const dataExportRequested = defineEvent(
  'media.export.requested',
  1,
  z.object({
    exportId: z.uuid(),
    userId: z.string(),
    requestedAt: z.iso.datetime(),
  }),
);

/**
 * How long an archive may take: one still PREPARING after this fails (a part never came), and a source does not
 * answer a request older than this (a consumer made again replays old ones).
 */
export const DATA_EXPORT_TIMEOUT_MS = 60 * 60 * 1000;

/** Who contributes parts to an export, besides the media subgraph itself: each owns some of the person's data. */
export const DATA_EXPORT_SOURCES = ['user', 'message'] as const;
export type DataExportSource = (typeof DATA_EXPORT_SOURCES)[number];

/**
 * A file name inside the archive that a source may write: a lower-case name with a `.json` or `.jsonl` extension,
 * no directory, and none of the media worker's own (README.txt, images.jsonl, files.jsonl, images/, files/):
 * nothing a source sends can name a path or stand in for another entry.
 */
export const DATA_EXPORT_FILE_NAME = /^(?!(?:images|files)\.jsonl$)[a-z][a-z0-9-]{0,40}\.jsonl?$/;

/**
 * One part of a source's contribution to an export: text to append to files of the archive, in order. A source
 * sends its parts numbered from 0 within one `attempt` (a fresh id each time it starts over, say after a crash),
 * the final one with `last`; the media worker uses the first attempt that arrives whole. A source that will not
 * contribute (the account was deleted meanwhile) sends one last part with `refused`, and the export fails. Parts
 * are addressed to the media subgraph's export, so they go under `media.export.part.<source>`: the events stream
 * takes them as it is.
 */
export const dataExportPart = defineEvent(
  'media.export.part',
  1,
  z.object({
    exportId: z.uuid(),
    source: z.enum(DATA_EXPORT_SOURCES),
    attempt: z.uuid(),
    index: z.number().int().nonnegative(),
    last: z.boolean(),
    chunks: z.array(z.object({ file: z.string().regex(DATA_EXPORT_FILE_NAME), text: z.string() })),
    refused: z.string().max(200).optional(),
  }),
  (part) => [part.source],
);

/**
 * Every source's parts of an export are in (the media worker saw the set whole): the media worker builds the
 * archive. Published straight to JetStream with the message id `export-build:<exportId>`, so the instances that
 * saw the set complete at once ask for one build; builds are one consumer's work, one at a time per instance.
 */
export const dataExportPartsComplete = defineEvent('media.export.parts-complete', 1, z.object({ exportId: z.uuid() }));
