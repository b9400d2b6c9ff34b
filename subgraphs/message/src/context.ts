import type DataLoader from 'dataloader';
import type { NatsConnection } from '@nats-io/transport-node';
import type { OutboxRelay } from '@letstalk/events';
import type { ReadRouting } from '@letstalk/db';
import type { BaseContext, RateLimiter } from '@letstalk/server';
import type { CallRow } from './data/call-repository.ts';
import type { ChatView, MemberRow } from './data/chat-repository.ts';
import type { MessageRow } from './data/message-repository.ts';
import type { PinRow } from './data/pin-repository.ts';
import type { ReactionSummary } from './data/reaction-repository.ts';
import type { MessageDb, tables } from './data/tables.ts';
import type { MessageEnv } from './env.ts';
import type { PresenceView } from './presence/presence-view.ts';
import type { SearchIndex } from './search/search-index.ts';

/** Long-lived parts built once at start-up. */
export interface MessageServices {
  relay: OutboxRelay;
  /** Reads that tolerate a few seconds' lag (older history pages) go to the replica when there is one. */
  reads: ReadRouting<typeof tables>;
  /** For the live signals that are not stored (typing, calls: live/signals.ts); everything else goes through the outbox. */
  nc: NatsConnection;
  sendLimiter: RateLimiter;
  typingLimiter: RateLimiter;
  callLimiter: RateLimiter;
  chatChangeLimiter: RateLimiter;
  groupLimiter: RateLimiter;
  /** Points are people: adding 40 people takes 40. */
  peopleAddedLimiter: RateLimiter;
  messageChangeLimiter: RateLimiter;
  readMarkLimiter: RateLimiter;
  reactionLimiter: RateLimiter;
  searchLimiter: RateLimiter;
  presenceSettingLimiter: RateLimiter;
  searchIndex: SearchIndex;
  /** Timers that mark unanswered calls MISSED; cleared at shutdown. */
  ringTimers: Set<NodeJS.Timeout>;
  iceServers: MessageEnv['CALL_ICE_SERVERS'];
}

/** Loaders are per request and per viewer: each answers only for chats the viewer is a member of. */
export interface MessageLoaders {
  chat: DataLoader<string, ChatView | null>;
  members: DataLoader<string, MemberRow[]>;
  lastMessage: DataLoader<string, MessageRow | null>;
  unreadCount: DataLoader<string, number>;
  message: DataLoader<string, MessageRow | null>;
  /** The ringing or active call of a chat the viewer is a member of. */
  activeCall: DataLoader<string, CallRow | null>;
  /**
   * A message of a chat the caller already found visible to the viewer (the original a reply quotes, a pinned
   * message of a chat), so without a membership check of its own.
   */
  messageInChat: DataLoader<{ chatId: string; seq: number }, MessageRow | null, string>;
  /** The pins of chats the caller already found visible to the viewer. */
  pins: DataLoader<string, PinRow[]>;
  /** Each message's reactions (by `Message.id`), with whether the viewer is among each emoji's people. */
  reactions: DataLoader<string, ReactionSummary[]>;
  /** Who reacted with one emoji to one message, earliest first, up to `first`. */
  reactors: DataLoader<{ chatId: string; seq: number; emoji: string; first: number }, string[], string>;
  /** A person's presence as the viewer sees it; null unless they share a chat with the viewer (or are the viewer). */
  presence: DataLoader<string, PresenceView | null>;
}

export interface MessageContext extends BaseContext {
  db: MessageDb;
  services: MessageServices;
  loaders: MessageLoaders;
}
