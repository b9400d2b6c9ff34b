import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { decodeLiveEvent, liveSubject, type LiveEvent } from '@letstalk/events';
import type { Logger } from '@letstalk/log';
import { isTracing } from '@letstalk/tracing';
import { receiveTraced } from './live-trace.ts';

/** What listens to one viewer's live events. */
export interface LiveListener {
  /** Each live event of the viewer, as it arrives. */
  event: (event: LiveEvent) => void;
  /**
   * The NATS connection was interrupted and is back: events published meanwhile never arrived, and nothing
   * here can tell which. The listener's subscriber must resume from its cursors.
   */
  missed: () => void;
}

/**
 * One NATS subscription per viewer connected to this gateway process, shared by all their sockets and
 * subscriptions, and dropped when the last of them ends. Core NATS keeps nothing for a subscriber that is
 * away: after the connection moves to another server (one died), every listener is told it missed events.
 */
export class LiveHub {
  private readonly viewers = new Map<string, { subscription: Subscription; listeners: Set<LiveListener> }>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly log: Logger,
  ) {
    void this.watchReconnections().catch(() => undefined);
  }

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
          if (isTracing()) receiveTraced(event, message.headers, () => listeners.forEach((each) => each.event(event)));
          else for (const each of listeners) each.event(event);
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

  /**
   * After each reconnection, once the server holds the subscriptions the client sent again (a flush), tells
   * every listener of then that it missed events: they resume from then on, and read what came before from
   * the database. Ends when the connection closes.
   */
  private async watchReconnections(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type !== 'reconnect') continue;
      const listeners = [...this.viewers.values()].flatMap((viewer) => [...viewer.listeners]);
      await this.nc.flush().catch(() => undefined);
      this.log.warn(
        { subscriptions: listeners.length },
        'NATS reconnected: live events may have been missed; subscribers resume',
      );
      for (const listener of listeners) listener.missed();
    }
  }
}
