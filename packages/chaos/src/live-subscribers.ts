import { MessageAddedDocument } from '@letstalk/sdk';
import { DeliveryLog } from './delivery-log.ts';
import type { ChaosChat, Person } from './population.ts';

/** Back-off before resubscribing: doubling from the first while nothing arrives, capped. */
const RESUBSCRIBE_FIRST_DELAY_MS = 200;
const RESUBSCRIBE_MAX_DELAY_MS = 2_000;

/** A member following one chat live. */
interface Subscriber {
  person: Person;
  chatId: string;
  log: DeliveryLog;
  /** Times its subscription ended (socket closed, an error, completed) and it subscribed again. */
  resubscriptions: number;
  /** Why its subscription last ended, and what the last payload without a message said. */
  lastEnd?: string;
  lastErrorPayload?: string;
}

export interface LiveSubscribers {
  subscribers: Subscriber[];
  stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/** Why a subscription ended: GraphQL errors, a socket's close (code and reason), or an error event's message. */
function describeEnd(error: unknown): string {
  if (Array.isArray(error)) return JSON.stringify(error).slice(0, 300);
  if (error instanceof Error) return error.message;
  const { code, reason, message, type } = (error ?? {}) as {
    code?: number;
    reason?: string;
    message?: string;
    type?: string;
  };
  if (code !== undefined) return `socket closed ${code} ${reason ?? ''}`.trim();
  return message ?? type ?? 'unknown';
}

/**
 * Subscribers that follow their chat's `messageAdded` over graphql-ws (the SDK's client), spread over the
 * gateways, as a client does that keeps nothing but its cursor: whenever the subscription ends or fails, it
 * subscribes again with `after` = the last seq it has. One that got nothing from its gateway tries the next
 * one (a load balancer would). `onMessage` hears each delivery's `clientMessageId` and when it arrived.
 */
export function startSubscribers(
  chats: ChaosChat[],
  onMessage: (clientMessageId: string, receivedAt: number) => void,
): LiveSubscribers {
  let stopped = false;
  const open = new Set<AsyncIterator<unknown>>();

  async function follow(subscriber: Subscriber, home: number) {
    const gateways = subscriber.person.clients.length;
    let gateway = home;
    let idle = 0;
    while (!stopped) {
      const iterator = subscriber.person.clients[gateway]!.subscribe(MessageAddedDocument, {
        chatId: subscriber.chatId,
        after: String(subscriber.log.lastSeq),
      });
      open.add(iterator);
      let delivered = false;
      try {
        for await (const result of iterator) {
          const message = result.data?.messageAdded;
          if (!message) {
            subscriber.log.errorPayloads += 1;
            subscriber.lastErrorPayload = JSON.stringify(result.errors ?? result).slice(0, 300);
            continue;
          }
          subscriber.log.receive(message.seq);
          delivered = true;
          onMessage(message.clientMessageId, Date.now());
        }
        subscriber.lastEnd = 'completed';
      } catch (error) {
        subscriber.lastEnd = describeEnd(error);
      } finally {
        open.delete(iterator);
      }
      if (stopped) break;
      subscriber.resubscriptions += 1;
      idle = delivered ? 0 : idle + 1;
      if (!delivered) gateway = (gateway + 1) % gateways;
      await sleep(Math.min(RESUBSCRIBE_MAX_DELAY_MS, RESUBSCRIBE_FIRST_DELAY_MS * 2 ** Math.min(idle, 10)));
    }
  }

  const subscribers: Subscriber[] = chats.flatMap((chat) =>
    chat.subscribers.map((person) => ({ person, chatId: chat.id, log: new DeliveryLog(), resubscriptions: 0 })),
  );
  const loops = subscribers.map((subscriber, index) => follow(subscriber, index % subscriber.person.clients.length));
  return {
    subscribers,
    stop: async () => {
      stopped = true;
      await Promise.all([...open].map((iterator) => iterator.return?.() ?? Promise.resolve()));
      await Promise.all(loops);
      await Promise.all(
        subscribers.flatMap((subscriber) => subscriber.person.clients.map((client) => client.dispose())),
      );
    },
  };
}
