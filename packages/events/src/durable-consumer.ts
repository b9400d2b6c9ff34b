import { DeliverPolicy, type AckPolicy, type JetStreamManager } from '@nats-io/jetstream';

/** What startEventConsumer makes its durable consumer with. */
export type ConsumerSettings = {
  durable_name: string;
  filter_subject: string;
  ack_policy: AckPolicy;
  ack_wait: number;
  max_deliver: number;
  deliver_policy: DeliverPolicy;
};

/** Creates the durable consumer, or updates the settings an existing one may change; see `formerly`. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: ConsumerSettings,
  formerly?: string,
) {
  const exists = (name: string) =>
    jsm.consumers.info(stream, name).then(
      (info) => info,
      () => undefined,
    );
  const update = () =>
    jsm.consumers.update(stream, config.durable_name, { ack_wait: config.ack_wait, max_deliver: config.max_deliver });
  if (await exists(config.durable_name)) return update();
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
  if (former && formerly) await jsm.consumers.delete(stream, formerly).catch(() => undefined);
}
