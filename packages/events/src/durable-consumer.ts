import {
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type AckPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';

/**
 * The name of a durable consumer, the one rule for all of them: `<database>-<purpose>`, where `database`
 * is the consuming subgraph's own database. Installations that share a NATS server (their databases
 * differ) thus each get every event, while the instances of one installation share the work. `purpose`
 * is lower-case words joined by `-`: `image-worker`, `known-users`.
 */
export function durableName(database: string, purpose: string): string {
  if (!/^\w+$/.test(database)) throw new Error(`Not a database name: ${database}`);
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(purpose)) throw new Error(`Not a consumer purpose: ${purpose}`);
  return `${database}-${purpose}`;
}

/** What startEventConsumer makes its durable consumer with. */
export type ConsumerSettings = {
  durable_name: string;
  filter_subject: string;
  ack_policy: AckPolicy;
  ack_wait: number;
  max_deliver: number;
  deliver_policy: DeliverPolicy;
};

/**
 * Creates the durable consumer, or updates the settings an existing one may change; see `formerly`. Resolves
 * with the name of a former consumer left to be drained: one whose filter differs from the new one's (events
 * it matched that the new one does not, published before the change, are still to be handled through it).
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: ConsumerSettings,
  formerly?: string,
): Promise<string | undefined> {
  // Only a consumer that is not there is absent: a request that timed out (a cluster electing a leader) is an
  // error, or a live consumer would be made again, and its caller waits out a second timeout.
  const exists = (name: string) =>
    jsm.consumers.info(stream, name).catch((error: unknown) => {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) return undefined;
      throw error;
    });
  const update = async (current?: { config: { ack_wait?: number; max_deliver?: number } }) => {
    // Every instance comes here at start: one already as wanted is left alone (on a cluster, each change is a
    // round of the consumer's copies, and many at once have timed out).
    if (current?.config.ack_wait !== config.ack_wait || current.config.max_deliver !== config.max_deliver) {
      await jsm.consumers.update(stream, config.durable_name, {
        ack_wait: config.ack_wait,
        max_deliver: config.max_deliver,
      });
    }
    const former = formerly ? await exists(formerly) : undefined;
    return former && former.config.filter_subject !== config.filter_subject ? formerly : undefined;
  };
  const existing = await exists(config.durable_name);
  if (existing) return update(existing);
  const former = formerly ? await exists(formerly) : undefined;
  const settings = former
    ? { ...config, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: former.ack_floor.stream_seq + 1 }
    : config;
  try {
    await jsm.consumers.add(stream, settings);
  } catch (error) {
    // Another instance created it first (its settings may differ if it also deleted the former one).
    if (!(await exists(config.durable_name))) throw error;
    return update();
  }
  if (!former || !formerly) return undefined;
  if (former.config.filter_subject !== config.filter_subject) return formerly;
  await jsm.consumers.delete(stream, formerly).catch(() => undefined);
  return undefined;
}

/**
 * Handles what a former consumer of other subjects still holds (see ensureConsumer), `batch` events at a time
 * through the new consumer's `process`, then deletes it; resolves with whether it did. Every instance of the
 * new release may do this at once: they share its events. Old releases still running publish only to subjects
 * it takes meanwhile, so during a rolling upgrade the publishers go first.
 */
export async function drainFormer(options: {
  jsm: JetStreamManager;
  js: JetStreamClient;
  stream: string;
  former: string;
  batch: number;
  process: (message: JsMsg) => Promise<void>;
  stopped: () => boolean;
}): Promise<boolean> {
  const { jsm, stream, former } = options;
  const reader = await options.js.consumers.get(stream, former);
  while (!options.stopped()) {
    const info = await jsm.consumers.info(stream, former);
    if (info.num_pending === 0 && info.num_ack_pending === 0) break;
    const messages = await reader.fetch({ max_messages: options.batch, expires: 1_000 });
    for await (const message of messages) await options.process(message);
  }
  if (options.stopped()) return false;
  await jsm.consumers.delete(stream, former).catch(() => undefined);
  return true;
}
