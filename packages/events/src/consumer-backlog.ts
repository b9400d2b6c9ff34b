import type { JetStreamManager } from '@nats-io/jetstream';
import { consumerAckPending, consumerPending, onScrape } from '@letstalk/metrics';

/**
 * Reads the durable's backlog from JetStream at each scrape (one consumer-info request): events not yet
 * delivered, and delivered but not acknowledged. Shared by every instance of the durable, so each reports
 * the same numbers. Returns what stops it.
 */
export function watchConsumer(jsm: JetStreamManager, stream: string, durable: string): () => void {
  const labels = { durable };
  const stop = onScrape(async () => {
    const info = await jsm.consumers.info(stream, durable);
    consumerPending.set(labels, info.num_pending);
    consumerAckPending.set(labels, info.num_ack_pending);
  }, 'consumer');
  return () => {
    stop();
    consumerPending.remove(labels);
    consumerAckPending.remove(labels);
  };
}
