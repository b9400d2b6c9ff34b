import { GraphQLError } from 'graphql';
import { forbidden } from '@letstalk/errors';
import type { LiveEvent } from '@letstalk/events';
import { liveDeliveries, liveDeliveryLag } from '@letstalk/metrics';
import { ChatSequences } from './chat-sequences.ts';
import { resumeLater, type ChatHistory, type ReplayBudget } from './chat-history.ts';
import type { Ending } from './ending.ts';
import { eventIds, PAYLOAD_RETRY_DELAYS_MS, PAYLOAD_RETRY_WINDOW_MS, type EventPayloads } from './event-payloads.ts';
import { feedsField, isFollowed, removesFollowedChat, type LiveOperation } from './live-operation.ts';
import { isGoneError, isGoneForViewer, isUnresolved } from './payload.ts';
import { traceDelivery } from './live-trace.ts';
import type { SharedPayload } from './shared-payloads.ts';
import type { LiveSink } from './socket-output.ts';

/** Live events one subscription may have waiting while earlier ones resolve; past it the socket is too slow. */
export const MAX_PENDING_EVENTS = 1_000;

/**
 * One subscriber's live events, delivered in the order they came, each once its payload is made.
 * `messageAdded` keeps each chat in sequence order: a duplicate is dropped, and a gap (a lost or reordered
 * live event) is filled from the chat's history first.
 */
export class LiveQueue {
  /** Live events wait here, in order, while a replay runs or the head event's payload is being made. */
  private readonly pending: LiveEvent[] = [];
  /** Nothing is delivered until {@link start}, nor while the head waits for its payload or a gap's replay. */
  private busy = true;
  /** The payload the head of `pending` waits for. */
  private waitingFor: SharedPayload | undefined;
  private readonly sequences = new ChatSequences();

  constructor(
    private readonly parts: {
      live: LiveOperation;
      payloads: EventPayloads;
      history: ChatHistory;
      sink: Pick<LiveSink, 'send'>;
      viewerId: string;
      ending: Ending;
    },
  ) {}

  /**
   * Queues one of the viewer's live events if the subscription follows it; false when MAX_PENDING_EVENTS
   * wait already: the subscriber is too far behind, and the event is not queued.
   */
  push(event: LiveEvent): boolean {
    if (!isFollowed(event, this.parts.live)) return true;
    if (this.pending.length >= MAX_PENDING_EVENTS) return false;
    this.pending.push(event);
    // Events queued behind others start their payloads now, so a subscriber that fell behind catches
    // up with several payloads ready at once.
    if (this.pending.length > 1 && feedsField(event, this.parts.live)) this.parts.payloads.ofEvent(event);
    this.pump();
    return true;
  }

  /** Starts delivering (after the replay the subscription resumes with). */
  start(): void {
    this.busy = false;
    this.pump();
  }

  /**
   * Delivers the messages of a chat after `cursor` (a history cursor) from its history, skipping those
   * delivered already; `budget` counts them when they are a resume's. False when the subscription ended
   * meanwhile.
   */
  async replay(chatId: string, cursor: string, budget?: ReplayBudget): Promise<boolean> {
    const { history, payloads } = this.parts;
    this.sequences.resumeAt(chatId, cursor);
    for await (const message of history.after(chatId, cursor)) {
      if (!this.sequences.isNew(chatId, message.seq)) continue;
      budget?.spend();
      this.sequences.deliver(chatId, message.seq, message.cursor);
      if (!this.deliver(JSON.stringify(await payloads.ofRoot({ messageAdded: message.node })))) return false;
    }
    return true;
  }

  /**
   * Replays a chat after its last delivered message; a history that cannot be read (a subgraph restarting) is
   * read again after each of PAYLOAD_RETRY_DELAYS_MS, as a payload is, before the subscription ends UNAVAILABLE
   * to be resumed. Messages delivered by a try that failed half-way are not delivered again.
   */
  private async replayRetrying(chatId: string): Promise<boolean> {
    const retryUntil = Date.now() + PAYLOAD_RETRY_WINDOW_MS;
    for (const delay of [...PAYLOAD_RETRY_DELAYS_MS, undefined]) {
      try {
        return await this.replay(chatId, this.sequences.cursorOf(chatId)!);
      } catch (error) {
        if (delay === undefined || !isUnreadable(error) || Date.now() + delay > retryUntil) throw error;
        if (this.parts.ending.ended) return false;
        await new Promise((wake) => setTimeout(wake, delay));
      }
    }
    return false;
  }

  /** Writes one payload; false ends the subscription (ended, or the socket is gone or too slow). */
  private deliver(json: string): boolean {
    return !this.parts.ending.ended && this.parts.sink.send(json);
  }

  /** Delivers pending events in order until one must wait (for its payload or a replay). */
  private pump(): void {
    const { live, payloads, viewerId, ending } = this.parts;
    try {
      while (!this.busy && !ending.ended) {
        const event = this.pending[0];
        if (!event) return;
        const removal = removesFollowedChat(event, live);
        if (removal && live.field !== 'chatUpdated')
          return ending.end(forbidden('You are no longer a member of this chat.'));
        if (event.kind === 'messageAdded' && !this.waitingFor) {
          const placement = this.sequences.place(event.chatId, event.seq, event.previousCursor);
          if (placement === 'duplicate') {
            this.pending.shift();
            continue;
          }
          if (placement === 'gap') {
            // The history holds everything after the last delivered, this event included.
            this.pending.shift();
            return this.fillGap(event.chatId);
          }
        }
        const payload = this.waitingFor ?? payloads.ofEvent(event);
        if (!payload.settled) {
          this.waitingFor = payload;
          this.busy = true;
          payload.wait(() => {
            this.busy = false;
            this.pump();
          });
          return;
        }
        this.waitingFor = undefined;
        if (payload.failed) return ending.end(payload.error);
        const { result, json, viewerSpecific } = payload.value!;
        if ((viewerSpecific || isGoneForViewer(result)) && payload.madeBy !== viewerId) {
          // Made with another member's authorization: it holds their own view (an unread count, whether they
          // reacted), or they may just have been removed. This viewer's own answer decides.
          this.waitingFor = payloads.ofEvent(event, true);
          continue;
        }
        this.pending.shift();
        if (event.kind === 'messageAdded') this.sequences.deliver(event.chatId, event.seq, event.cursor);
        if (isGoneForViewer(result)) continue;
        if (isUnresolved(result)) {
          // Still unreadable after the retries. A message must not be lost: the subscription ends and the
          // client resumes from its last cursor (the database has it). Other events say what changed.
          if (event.kind === 'messageAdded') return ending.end(resumeLater());
          if (!this.deliver(JSON.stringify({ ...result, extensions: { event: eventIds(event) } }))) return ending.end();
          delivered(event);
          continue;
        }
        if (!this.deliver(json)) return ending.end();
        delivered(event);
        traceDelivery(event, live.field);
        if (removal) return ending.end();
      }
    } catch (error) {
      ending.end(error);
    }
  }

  /** Replays a chat after its last delivered message (its cursor), then goes on with the queue. */
  private fillGap(chatId: string): void {
    const { live, ending } = this.parts;
    this.busy = true;
    this.replayRetrying(chatId).then(
      (open) => {
        this.busy = false;
        if (open) this.pump();
        else ending.end();
      },
      (error: unknown) => {
        // Following every chat, one the viewer has just left is dropped; the others go on.
        if (live.chatId !== undefined || !isGoneError(error)) return ending.end(error);
        this.sequences.forget(chatId);
        this.busy = false;
        this.pump();
      },
    );
  }
}

/** A history that could not be read (a subgraph down), as opposed to one refused or a chat gone. */
const isUnreadable = (error: unknown) =>
  error instanceof GraphQLError && error.extensions.code === 'UNAVAILABLE' && error.extensions.reason === undefined;

/** Counts a live event's frame written, and how long after the event's creation it was. */
function delivered(event: LiveEvent): void {
  liveDeliveries.inc();
  if (event.at !== undefined) liveDeliveryLag.observe(Math.max(0, Date.now() - event.at) / 1000);
}
