import {
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { subjectOf, type EventContract, type EventEnvelope, type EventPayload } from './contract.ts';
import { putStream } from './connection.ts';

/**
 * The presence bucket: which gateway holds live connections of whom. One key per person and gateway,
 * `<userId>.<gatewayId>`, whose value says whether the person is ONLINE or AWAY there; a gateway writes it
 * again every third of the bucket's TTL while the person is connected, and removes it when their last socket
 * there closes. A gateway that dies says nothing: its keys expire (the stream's `max_age`; NATS 2.9 has no
 * per-key TTL), and the message subgraph's sweeper turns the people it held offline.
 *
 * Laid out as a NATS KV bucket (stream `KV_presence`, subjects `$KV.presence.<key>`, one value per key), so
 * `nats kv ls presence` reads it; written with @nats-io/jetstream, which LetsTalk has already (no KV client).
 */
/**
 * The bucket's default name (PRESENCE_BUCKET). An installation's gateways and message subgraphs must name the same
 * one; two installations on one NATS server (or a test beside a running stack) each name their own, since every
 * gateway sets the bucket's TTL.
 */
export const PRESENCE_BUCKET = 'presence';
const NANOS_PER_MS = 1_000_000;

/** The stream and key prefix of a presence bucket. */
function bucketNames(bucket: string) {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(bucket)) throw new Error(`not a bucket name: ${bucket}`);
  return { stream: `KV_${bucket}`, prefix: `$KV.${bucket}` };
}

/** A person's state on one gateway. */
export type GatewayPresence = 'ONLINE' | 'AWAY';

const entry = z.object({ status: z.enum(['ONLINE', 'AWAY']), at: z.string() });

const encoder = new TextEncoder();

/**
 * Makes the bucket, or sets its TTL (every gateway does at start and on reconnection: run them with the same
 * PRESENCE_TTL_MS). Stored on file like the events, so a NATS restart does not turn everyone offline.
 */
export async function ensurePresenceBucket(
  nc: NatsConnection,
  ttlMs: number,
  bucket: string = PRESENCE_BUCKET,
): Promise<void> {
  const { stream, prefix } = bucketNames(bucket);
  const config: Partial<StreamConfig> & { name: string } = {
    name: stream,
    subjects: [`${prefix}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_msgs_per_subject: 1,
    max_age: ttlMs * NANOS_PER_MS,
    allow_rollup_hdrs: true,
    deny_delete: true,
    allow_direct: true,
  };
  await putStream(nc, config);
}

/** Whether an error says the bucket does not exist (no gateway has run yet): then nobody is connected. */
const isMissingStream = (error: unknown) => error instanceof Error && /stream not found/i.test(error.message);

/** Reads and writes the presence bucket. */
export function presenceBucket(nc: NatsConnection, bucket: string = PRESENCE_BUCKET) {
  const js = jetstream(nc);
  const manager = jetstreamManager(nc);
  const { stream, prefix } = bucketNames(bucket);
  const keyOf = (userId: string, gatewayId: string) => `${prefix}.${userId}.${gatewayId}`;
  return {
    /** Writes (or refreshes) a person's state on a gateway. */
    async put(userId: string, gatewayId: string, status: GatewayPresence): Promise<void> {
      await js.publish(keyOf(userId, gatewayId), JSON.stringify({ status, at: new Date().toISOString() }));
    },

    /** Removes a person's key on a gateway (their last socket there closed). */
    async remove(userId: string, gatewayId: string): Promise<void> {
      await (await manager).streams.purge(stream, { filter: keyOf(userId, gatewayId) });
    },

    /** The person's state on each gateway that holds a live (unexpired) key of theirs. */
    async statesOf(userId: string): Promise<GatewayPresence[]> {
      const jsm = await manager;
      const subjects = await jsm.streams.info(stream, { subjects_filter: `${prefix}.${userId}.*` }).then(
        (info) => Object.keys(info.state.subjects ?? {}),
        (error: unknown) => {
          if (isMissingStream(error)) return [];
          throw error;
        },
      );
      const states = await Promise.all(
        subjects.map(async (subject) => {
          const stored = await jsm.streams.getMessage(stream, { last_by_subj: subject });
          const parsed = stored ? entry.safeParse(stored.json()) : undefined;
          return parsed?.success ? parsed.data.status : undefined;
        }),
      );
      return states.filter((state) => state !== undefined);
    },

    /** Everyone with at least one live key: one listing of the bucket's subjects (the sweeper's). */
    async connectedUsers(): Promise<Set<string>> {
      const jsm = await manager;
      const info = await jsm.streams.info(stream, { subjects_filter: `${prefix}.>` }).catch((error: unknown) => {
        if (isMissingStream(error)) return undefined;
        throw error;
      });
      const users = new Set<string>();
      for (const subject of Object.keys(info?.state.subjects ?? {})) {
        const userId = subject.split('.')[2];
        if (userId) users.add(userId);
      }
      return users;
    },
  };
}

export type PresenceBucket = ReturnType<typeof presenceBucket>;

/**
 * Publishes a durable event straight to JetStream, for a process without a database (the gateway): the message
 * id de-duplicates a retry. Everything with a database writes its events through its outbox instead.
 */
export async function publishEventNow<Contract extends EventContract>(
  nc: NatsConnection,
  contract: Contract,
  data: EventPayload<Contract>,
  msgID: string,
): Promise<void> {
  const parsed = contract.schema.parse(data) as EventPayload<Contract>;
  const envelope: EventEnvelope = { v: contract.version, data: parsed };
  await jetstream(nc).publish(subjectOf(contract, parsed), encoder.encode(JSON.stringify(envelope)), { msgID });
}
