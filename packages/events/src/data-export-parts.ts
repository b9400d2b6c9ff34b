import { randomUUID } from 'node:crypto';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { subjectOf, type EventEnvelope, type EventPayload } from './contract.ts';
import type { Logger } from '@letstalk/log';
import { startEventConsumer } from './consumer.ts';
import { durableName } from './durable-consumer.ts';
import {
  DATA_EXPORT_TIMEOUT_MS,
  dataExportPart,
  dataExportPartsComplete,
  dataExportRequested,
  type DataExportSource,
} from './subjects/data-export.ts';

/**
 * Bytes of text in one export part, well under NATS's default 1 MiB message limit; a line is never split, and the
 * longest line a source writes (a message of 4,000 characters, escaped) is far below it.
 */
export const MAX_DATA_EXPORT_PART_BYTES = 256 * 1024;

type Part = EventPayload<typeof dataExportPart>;

/** Publishes one part, acknowledged by JetStream; `msgID` makes a re-publish within the window one part. */
function publishPart(js: JetStreamClient, part: Part, msgID: string) {
  const envelope: EventEnvelope = { v: dataExportPart.version, data: dataExportPart.schema.parse(part) };
  return js.publish(subjectOf(dataExportPart, part), JSON.stringify(envelope), { msgID });
}

/** One line of a file of the archive (a JSON document, without its newline). */
export interface DataExportLine {
  file: string;
  line: string;
}

/**
 * Sends a source's contribution to an export: `lines` in parts of at most {@link MAX_DATA_EXPORT_PART_BYTES}, straight
 * to JetStream (each publish acknowledged before the next), numbered within a fresh attempt. The parts are published,
 * not written to an outbox: the request is acknowledged only after the last one, so a crash sends them all again
 * in a new attempt, and the media worker keeps the first attempt that arrived whole. Resolves with the part count.
 */
export async function publishDataExport(
  nc: NatsConnection,
  target: { exportId: string; source: DataExportSource },
  lines: AsyncIterable<DataExportLine> | Iterable<DataExportLine>,
): Promise<number> {
  const js = jetstream(nc);
  const attempt = randomUUID();
  let index = 0;
  let chunks: Part['chunks'] = [];
  let bytes = 0;
  const send = async (last: boolean) => {
    const msgID = `export:${target.exportId}:${target.source}:${attempt}:${index}`;
    await publishPart(js, { ...target, attempt, index, last, chunks }, msgID);
    index += 1;
    chunks = [];
    bytes = 0;
  };
  for await (const { file, line } of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (bytes > 0 && bytes + size > MAX_DATA_EXPORT_PART_BYTES) await send(false);
    const open = chunks.at(-1);
    if (open?.file === file) open.text += `${line}\n`;
    else chunks.push({ file, text: `${line}\n` });
    bytes += size;
  }
  await send(true);
  return index;
}

/** Tells the media worker that `target.source` will not contribute to the export (`reason`, for the person). */
export async function refuseDataExport(
  nc: NatsConnection,
  target: { exportId: string; source: DataExportSource },
  reason: string,
): Promise<void> {
  const part: Part = { ...target, attempt: randomUUID(), index: 0, last: true, chunks: [], refused: reason };
  await publishPart(jetstream(nc), part, `export:${target.exportId}:${target.source}:refused`);
}

/** Asks the media worker to build an export's archive now that its parts are all in ({@link dataExportPartsComplete}). */
export async function requestDataExportBuild(nc: NatsConnection, exportId: string): Promise<void> {
  const envelope: EventEnvelope = { v: dataExportPartsComplete.version, data: { exportId } };
  await jetstream(nc).publish(dataExportPartsComplete.subject, JSON.stringify(envelope), {
    msgID: `export-build:${exportId}`,
  });
}

/** What a source gives for a person: the lines of its files, or why it will not contribute. */
type SourceAnswer = AsyncIterable<DataExportLine> | Iterable<DataExportLine> | { refused: string };

/**
 * Runs a source of data exports: a durable consumer of `media.export.requested` (one per source database, so its
 * instances share the requests) that sends `source`'s parts for each (publishDataExport), or its refusal. A request
 * older than DATA_EXPORT_TIMEOUT_MS is left: its archive has failed already (a consumer made again replays old ones).
 */
export function answerDataExports(options: {
  nc: NatsConnection;
  source: DataExportSource;
  database: string;
  log: Logger;
  answer: (userId: string) => Promise<SourceAnswer>;
}) {
  const { nc, source } = options;
  return startEventConsumer({
    nc,
    contract: dataExportRequested,
    durable: durableName(options.database, 'data-exports'),
    log: options.log,
    handle: async (request) => {
      if (Date.parse(request.requestedAt) < Date.now() - DATA_EXPORT_TIMEOUT_MS) return;
      const target = { exportId: request.exportId, source };
      const answer = await options.answer(request.userId);
      if ('refused' in answer) await refuseDataExport(nc, target, answer.refused);
      else await publishDataExport(nc, target, answer);
    },
  });
}
