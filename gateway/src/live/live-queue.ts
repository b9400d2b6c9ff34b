import { forbidden } from '@letstalk/errors';
import type { LiveEvent } from '@letstalk/events';
import { liveDeliveries, liveDeliveryLag } from '@letstalk/metrics';
import { ChatSequences } from './chat-sequences.ts';
import { resumeLater, type ChatHistory, type ReplayBudget } from './chat-history.ts';
import type { Ending } from './ending.ts';
import { eventIds, type EventPayloads } from './event-payloads.ts';
import { feedsField, isFollowed, removesFollowedChat, type LiveOperation } from './live-operation.ts';
import { isGoneError, isGoneForViewer, isUnresolved } from './payload.ts';
import { traceDelivery } from './live-trace.ts';
import type { SharedPayload } from './shared-payloads.ts';
import type { SocketOutput } from './socket-output.ts';

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
      output: Pick<SocketOutput, 'send'>;
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
   * Delivers the messages of a chat after `afterSeq` from its history, skipping those delivered already;
   * `budget` counts them when they are a resume's. False when the subscription ended meanwhile.
   */
  async replay(chatId: string, afterSeq: number, budget?: ReplayBudget): Promise<boolean> {
    const { history, payloads } = this.parts;
    // The cursor is where the client stands, even when nothing after it is stored yet: a live message
    // beyond the next one is then a gap to fill, not the chat's first (after an outage, the fan-out's
    // retries may publish 3 before 2; taken as the first, 3 made 2 a duplicate, and 2 was lost).
    if (this.sequences.last(chatId) === undefined) this.sequences.deliver(chatId, afterSeq);
    for await (const { seq, node } of history.after(chatId, afterSeq)) {
      if (!this.sequences.isNew(chatId, seq)) continue;
      budget?.spend();
      this.sequences.deliver(chatId, seq);
      if (!this.deliver(JSON.stringify(await payloads.ofRoot({ messageAdded: node })))) return false;
    }
    return true;
  }

  /** Writes one payload; false ends the subscription (ended, or the socket is gone or too slow). */
  private deliver(json: string): boolean {
    return !this.parts.ending.ended && this.parts.output.send(json);
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
          const placement = this.sequences.place(event.chatId, event.seq);
          if (placement === 'duplicate') {
            this.pending.shift();
            continue;
          }
          if (placement === 'gap') {
            // The history holds everything after the last delivered, this event included.
            this.pending.shift();
            return this.fillGap(event.chatId, this.sequences.last(event.chatId)!);
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
        const { result, json } = payload.value!;
        if (isGoneForViewer(result) && payload.madeBy !== viewerId) {
          // Made with another member's authorization, who may just have been removed: this viewer's own
          // answer decides.
          this.waitingFor = payloads.ofEvent(event, true);
          continue;
        }
        this.pending.shift();
        if (event.kind === 'messageAdded') this.sequences.deliver(event.chatId, event.seq);
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

  /** Replays a chat after its last delivered message, then goes on with the queue. */
  private fillGap(chatId: string, lastSeq: number): void {
    const { live, ending } = this.parts;
    this.busy = true;
    this.replay(chatId, lastSeq).then(
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

/** Counts a live event's frame written, and how long after the event's creation it was. */
function delivered(event: LiveEvent): void {
  liveDeliveries.inc();
  if (event.at !== undefined) liveDeliveryLag.observe(Math.max(0, Date.now() - event.at) / 1000);
}
