import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { decodeLiveEvent, liveSubject, type LiveEvent } from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { isTracing } from '@letstalk/tracing';
import { receiveTraced } from './live-trace.ts';

export type LiveListener = (event: LiveEvent) => void;

/**
 * One NATS subscription per viewer connected to this gateway process, shared by all their sockets and
 * subscriptions, and dropped when the last of them ends.
 */
export class LiveHub {
  private readonly viewers = new Map<string, { subscription: Subscription; listeners: Set<LiveListener> }>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly log: Logger,
  ) {}

  /** Calls `listener` with each live event of `userId`; returns the function that stops it. */
  listen(userId: string, listener: LiveListener): () => void {
    let viewer = this.viewers.get(userId);
    if (!viewer) {
      const listeners = new Set<LiveListener>();
      const subscription = this.nc.subscribe(liveSubject(userId), {
        callback: (error, message) => {
          if (error) {
            this.log.warn({ err: error, userId }, 'live subscription failed');
            return;
          }
          const event = decodeLiveEvent(message.data);
          if (!event) return;
          if (isTracing()) receiveTraced(event, message.headers, () => listeners.forEach((each) => each(event)));
          else for (const each of listeners) each(event);
        },
      });
      viewer = { subscription, listeners };
      this.viewers.set(userId, viewer);
    }
    const { listeners } = viewer;
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      const current = this.viewers.get(userId);
      if (current && current.listeners.size === 0) {
        current.subscription.unsubscribe();
        this.viewers.delete(userId);
      }
    };
  }

  /** Viewers with at least one live listener on this process. */
  get size(): number {
    return this.viewers.size;
  }
}
