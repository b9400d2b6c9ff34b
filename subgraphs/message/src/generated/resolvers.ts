import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { CallRow } from '../data/call-repository.ts';
import type { ChatView } from '../data/chat-repository.ts';
import type { MessageRow } from '../data/message-repository.ts';
import type { PresenceView } from '../presence/presence-view.ts';
import type { ReactionSummary } from '../data/reaction-repository.ts';
import type { UserReference } from '../ids.ts';
import type { MessageContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date and time in UTC, e.g. 2026-11-24T13:05:00.000Z. */
  DateTime: { input: Date | string; output: Date | string; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** A 1:1 voice or video call. LetsTalk relays the signalling only; media flows between the two devices. */
export type Call = {
  __typename?: 'Call';
  /** The callee's SDP answer, once answered. */
  answer?: Maybe<Scalars['String']['output']>;
  /** When the callee answered; null unless they did. */
  answeredAt?: Maybe<Scalars['DateTime']['output']>;
  /** The person called. */
  callee: User;
  /** The person who started the call. */
  caller: User;
  /** The direct chat the call belongs to. */
  chat: Chat;
  /** When the call was started. */
  createdAt: Scalars['DateTime']['output'];
  /** When it was declined, ended or missed; null while it rings or is active. */
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  /** `<chatId>:<callId>`; treat it as opaque. */
  id: Scalars['ID']['output'];
  /** The caller's SDP offer. */
  offer: Scalars['String']['output'];
  /** The state now (a call still ringing after 45 seconds reads MISSED). */
  state: CallState;
};

/** Something happened in one of the viewer's calls (the payload of `callEvents`). */
export type CallEvent = {
  __typename?: 'CallEvent';
  /** The call as it is now. */
  call: Call;
  /** For ICE_CANDIDATE: the candidate the other side sent. */
  candidate?: Maybe<Scalars['String']['output']>;
  /** What happened. */
  kind: CallEventKind;
};

/** What happened in a `callEvents` event. */
export type CallEventKind =
  /** The callee answered: `call.answer` holds their SDP answer. */
  | 'ANSWERED'
  /** The callee turned the call down. */
  | 'DECLINED'
  /** Either person hung up, or the call was cancelled while it rang. */
  | 'ENDED'
  /** The other person sent an ICE candidate (`candidate`); only the receiving side gets it. */
  | 'ICE_CANDIDATE'
  /** Nobody answered within 45 seconds (CALL_RING_TIMEOUT_MS). */
  | 'MISSED'
  /** A call started; both people receive it (the callee's device should ring). */
  | 'OFFERED';

/** What a client needs to set up calls. */
export type CallSettings = {
  __typename?: 'CallSettings';
  /** The STUN/TURN servers to give RTCPeerConnection (CALL_ICE_SERVERS); empty when none are configured. */
  iceServers: Array<IceServer>;
};

/** Where a call is in its life: RINGING, then ACTIVE, DECLINED, MISSED or ENDED (cancelled); ACTIVE, then ENDED. */
export type CallState =
  /** Answered; the two devices talk until one hangs up. */
  | 'ACTIVE'
  /** The person called turned it down. */
  | 'DECLINED'
  /** Hung up by either person, or cancelled while it rang. */
  | 'ENDED'
  /** Nobody answered within 45 seconds (CALL_RING_TIMEOUT_MS). */
  | 'MISSED'
  /** Offered; waiting for the person called, for at most 45 seconds (CALL_RING_TIMEOUT_MS). */
  | 'RINGING';

/**
 * A conversation: a direct chat of two people or a group. Only its members see it; to anyone else it is
 * NOT_FOUND.
 */
export type Chat = {
  __typename?: 'Chat';
  /** The ringing or active call of this chat, if any (a client that reconnects learns of a call here). */
  activeCall?: Maybe<Call>;
  /** For a direct chat, the other person (the viewer for a chat with oneself); null for a group. */
  counterpart?: Maybe<User>;
  /** When the chat was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The chat's id (a UUID). */
  id: Scalars['ID']['output'];
  /** Direct chat or group. */
  kind: ChatKind;
  /** When the last message was sent; when the chat was created, until it has a message. */
  lastActivityAt: Scalars['DateTime']['output'];
  /** The newest message (a tombstone if it was deleted); null while the chat has none. */
  lastMessage?: Maybe<Message>;
  /** Everyone in the chat, with their roles (at most 256, MAX_GROUP_MEMBERS). */
  members: Array<ChatMember>;
  /**
   * The chat's messages, newest first, paged as `Query.messages`. Inside a list (`chats { ... messages }`) give
   * `first` or `last` of at most 20 (MAX_NESTED_PAGE_SIZE; GRAPHQL_VALIDATION_FAILED otherwise).
   */
  messages: MessageConnection;
  /**
   * Whether the viewer muted the chat (`muteChat`): they get no push notification or email for it while away.
   * Messages still arrive live and count as unread.
   */
  muted: Scalars['Boolean']['output'];
  /** When the viewer's mute ends; null when it has no end, and when the chat is not muted. */
  mutedUntil?: Maybe<Scalars['DateTime']['output']>;
  /** The group's name, or for a direct chat the other person's display name. */
  name: Scalars['String']['output'];
  /** A group's photo; null for a direct chat (show the other person's avatar) or a group without one. */
  photo?: Maybe<Image>;
  /** Its pinned messages, the latest pin first; at most 50 (MAX_PINNED_MESSAGES_PER_CHAT). */
  pinned: Array<PinnedMessage>;
  /** Each member's read mark: who has read up to which message. */
  readMarks: Array<ReadMark>;
  /** Messages from others, not deleted, after the viewer's read mark; counting stops at 1000 (UNREAD_COUNT_CAP). */
  unreadCount: Scalars['Int']['output'];
  /** The viewer's role (MEMBER in a direct chat). */
  viewerRole: ChatRole;
};


/**
 * A conversation: a direct chat of two people or a group. Only its members see it; to anyone else it is
 * NOT_FOUND.
 */
export type ChatMessagesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of the viewer's chats, most recent activity first. */
export type ChatConnection = {
  __typename?: 'ChatConnection';
  /** The chats of this page, in order. */
  edges: Array<ChatEdge>;
  /** Where this page sits: pass `endCursor` as `after` for the next page. */
  pageInfo: PageInfo;
};

/** One chat of a page. */
export type ChatEdge = {
  __typename?: 'ChatEdge';
  /** Pass as `after` to go on after this chat. */
  cursor: Scalars['String']['output'];
  /** The chat. */
  node: Chat;
};

/** Whether a chat is between two people or a group. */
export type ChatKind =
  /** Two people (or one person with themselves); no roles beyond MEMBER. Calls work here only. */
  | 'DIRECT'
  /** A named chat of up to 256 members (MAX_GROUP_MEMBERS), with an owner and admins. */
  | 'GROUP';

/** A person in a chat, with their role. */
export type ChatMember = {
  __typename?: 'ChatMember';
  /** When they joined: the chat's creation, or when they were added. */
  joinedAt: Scalars['DateTime']['output'];
  /** Their role (MEMBER in a direct chat). */
  role: ChatRole;
  /** The member. */
  user: User;
};

/** A member's read mark moved (the payload of `chatRead`). */
export type ChatReadEvent = {
  __typename?: 'ChatReadEvent';
  /** The chat (`Chat.id`). */
  chatId: Scalars['ID']['output'];
  /** The id of the message at `lastReadSeq`; null when they have read nothing. */
  lastReadMessageId?: Maybe<Scalars['ID']['output']>;
  /** The member's read mark: they have read every message up to this position. */
  lastReadSeq: Scalars['Int']['output'];
  /** The member whose mark moved. */
  user: User;
};

/** A member's role in a chat. */
export type ChatRole =
  /** Renames the group, sets its photo, adds people, removes MEMBERs, and deletes anyone's message. */
  | 'ADMIN'
  /** Reads and sends messages. Every member of a direct chat is a MEMBER. */
  | 'MEMBER'
  /**
   * The group's one owner: does what an ADMIN does, also removes admins and changes roles, and cannot be removed.
   * When the owner leaves, the longest-serving admin (else member) becomes OWNER.
   */
  | 'OWNER';

/** A chat changed (the payload of `chatUpdated`). */
export type ChatUpdate = {
  __typename?: 'ChatUpdate';
  /** The chat as it is now; null when the viewer is no longer a member. */
  chat?: Maybe<Chat>;
  /** The chat that changed (`Chat.id`), also when `chat` is null. */
  chatId: Scalars['ID']['output'];
  /** What changed. */
  kind: ChatUpdateKind;
};

/** What changed in a `chatUpdated` event. */
export type ChatUpdateKind =
  /** The chat was created with the viewer in it. */
  | 'CREATED'
  /** People were added or removed, someone left, or a role changed; also what a person added to a group gets. */
  | 'MEMBERS_CHANGED'
  /** The viewer muted or unmuted the chat on one of their devices (`Chat.muted`); only the viewer gets it. */
  | 'MUTED'
  /** The group's photo was set or removed. */
  | 'PHOTO_CHANGED'
  /** A message was pinned or unpinned (`Chat.pinned`). */
  | 'PINS_CHANGED'
  /** The viewer left or was removed; `chat` is null and no more events of the chat arrive. */
  | 'REMOVED'
  /** The group was renamed. */
  | 'RENAMED';

export type FileAttachment = {
  __typename?: 'FileAttachment';
  id: Scalars['ID']['output'];
};

/** A piece of a search excerpt. */
export type HighlightSpan = {
  __typename?: 'HighlightSpan';
  /** Whether it matched the query. */
  match: Scalars['Boolean']['output'];
  /** The text. */
  text: Scalars['String']['output'];
};

/** An RTCIceServer, as the browser's RTCPeerConnection takes it. */
export type IceServer = {
  __typename?: 'IceServer';
  /** The TURN credential; null when the server needs none. */
  credential?: Maybe<Scalars['String']['output']>;
  /** The server's URLs, e.g. `stun:stun.example.org:3478` or `turn:turn.example.org?transport=udp`. */
  urls: Array<Scalars['String']['output']>;
  /** The TURN user name; null when the server needs none. */
  username?: Maybe<Scalars['String']['output']>;
};

export type Image = {
  __typename?: 'Image';
  id: Scalars['ID']['output'];
};

/**
 * A message of a chat, seen by the chat's members. A deleted message stays as a tombstone: `text`, `body` and
 * `image` null, `deletedAt` set.
 */
export type Message = {
  __typename?: 'Message';
  /** The text as paragraphs and links, safe to render without HTML; null when `text` is. */
  body?: Maybe<MessageBody>;
  /** The chat it was sent to. */
  chat: Chat;
  /** The id the sender's client gave in `sendMessage`. */
  clientMessageId: Scalars['String']['output'];
  /** When it was sent. */
  createdAt: Scalars['DateTime']['output'];
  /** When it was deleted; null unless it was. */
  deletedAt?: Maybe<Scalars['DateTime']['output']>;
  /** When its text was last edited; null if never. */
  editedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The attached file, downloaded as an attachment, never shown inline; null when there is none, and once deleted. */
  file?: Maybe<FileAttachment>;
  /**
   * The first http(s) link of the text, the one that gets a preview; null without one or once deleted. For
   * the preview subgraph (`linkPreview` requires it), not part of the public API.
   */
  firstLink?: Maybe<Scalars['String']['output']>;
  /** Whether it is a copy of a message from another chat (`forwardMessage`). */
  forwarded: Scalars['Boolean']['output'];
  /** `<chatId>:<seq>`; treat it as opaque. */
  id: Scalars['ID']['output'];
  /** The attached image; null when there is none, and once deleted. */
  image?: Maybe<Image>;
  /** Whether it is pinned to its chat (`Chat.pinned`). */
  pinned: Scalars['Boolean']['output'];
  /** Its emoji reactions, in the order each emoji was first used; at most 20 (MAX_REACTION_EMOJI_PER_MESSAGE). */
  reactions: Array<Reaction>;
  /** Members other than the sender whose read mark has reached this message. */
  readBy: Array<User>;
  /** The message this one answers, as quoted; null unless it is a reply. */
  replyTo?: Maybe<QuotedMessage>;
  /** Who sent it. */
  sender: User;
  /** Position in the chat: 1, 2, 3, ... in commit order, without gaps. */
  seq: Scalars['Int']['output'];
  /** The text as sent (trimmed); null for an image without text, and once deleted. */
  text?: Maybe<Scalars['String']['output']>;
};

/** A message's text made safe to render: paragraphs of plain text and links. Nothing in it is HTML. */
export type MessageBody = {
  __typename?: 'MessageBody';
  /** How many emoji an emoji-only text has (a flag or a family counts once); 0 when `emojiOnly` is false. */
  emojiCount: Scalars['Int']['output'];
  /** Only emoji (clients may show 1 to 3 of them large). */
  emojiOnly: Scalars['Boolean']['output'];
  /** One per non-blank line of the text, trimmed. */
  paragraphs: Array<Paragraph>;
};

/** A page of a chat's messages, newest first. */
export type MessageConnection = {
  __typename?: 'MessageConnection';
  /** The messages of this page, newest first. */
  edges: Array<MessageEdge>;
  /**
   * Where this page sits: `endCursor` as `after` goes on to older messages, `startCursor` as `before` to newer
   * ones.
   */
  pageInfo: PageInfo;
};

/** One message of a page. */
export type MessageEdge = {
  __typename?: 'MessageEdge';
  /** The message's position (its `seq`): pass as `after` for older messages or `before` for newer ones. */
  cursor: Scalars['String']['output'];
  /** The message. */
  node: Message;
};

/** A page of `searchMessages`. */
export type MessageSearchConnection = {
  __typename?: 'MessageSearchConnection';
  /** The matches, newest first. */
  edges: Array<MessageSearchEdge>;
  /** Whether older matches follow, and the cursor to read them. */
  pageInfo: PageInfo;
};

/** One message `searchMessages` found. */
export type MessageSearchEdge = {
  __typename?: 'MessageSearchEdge';
  /** Pass as `after` for the matches older than this one. */
  cursor: Scalars['String']['output'];
  /**
   * The part of its text around the first match (at most 160 characters, SEARCH_EXCERPT_LENGTH, `…` where cut),
   * as spans to render in turn; the matching words are `match: true`. Nothing in it is HTML.
   */
  excerpt: Array<HighlightSpan>;
  /** The message. */
  node: Message;
};

/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Admins add people to a group; people already in it are left as they are. Members get `chatUpdated`
   * MEMBERS_CHANGED. NOT_FOUND unless the viewer is a member, or when an id is no account; FORBIDDEN in a direct
   * chat or for a MEMBER; BAD_USER_INPUT past 256 members (MAX_GROUP_MEMBERS); RATE_LIMITED past 30 chat changes
   * a minute (CHAT_CHANGES_PER_USER_PER_MINUTE) or 1000 people put into groups an hour
   * (PEOPLE_ADDED_PER_USER_PER_HOUR).
   */
  addChatMembers: Chat;
  /**
   * Reacts to a message with an emoji: one of each emoji per person, so reacting again with the same one changes
   * nothing. Members get `messageUpdated` (a burst of reactions to one message within REACTION_UPDATE_WINDOW_MS,
   * 250 ms, makes one update). NOT_FOUND when it is no message of the viewer's chats; BAD_USER_INPUT for anything
   * but a single emoji (at most 32 characters, MAX_REACTION_EMOJI_LENGTH), for a deleted message, or for a 21st
   * distinct emoji on one message (MAX_REACTION_EMOJI_PER_MESSAGE: 20); RATE_LIMITED past 30 reactions added or
   * removed per 10 seconds (REACTIONS_PER_USER_PER_10_SECONDS).
   */
  addReaction: Message;
  /**
   * The person called accepts a ringing call with their SDP answer: it becomes ACTIVE and both get `callEvents`
   * ANSWERED. NOT_FOUND unless it is the viewer's call; FORBIDDEN for the caller; BAD_USER_INPUT once it no
   * longer rings; RATE_LIMITED past 100 call signals per 10 seconds (CALL_SIGNALS_PER_USER_PER_10_SECONDS).
   */
  answerCall: Call;
  /**
   * Blocks a person: they can no longer start a direct chat with the viewer, put the viewer into a group, or send in
   * the direct chat of the two (nor can the viewer, until unblocking). Groups already shared stay. Blocking again changes nothing; it returns the person. NOT_FOUND for no such account;
   * BAD_USER_INPUT for oneself or past 1000 blocked people (MAX_BLOCKED_USERS); RATE_LIMITED past 30 chat changes a
   * minute (CHAT_CHANGES_PER_USER_PER_MINUTE).
   */
  blockUser: User;
  /**
   * Creates a group chat: the viewer becomes its OWNER, `memberIds` its MEMBERs, and all of them get
   * `chatUpdated` CREATED. NOT_FOUND when an id is no account; RATE_LIMITED past 20 groups an hour
   * (GROUPS_CREATED_PER_USER_PER_HOUR) or 1000 people put into groups an hour (PEOPLE_ADDED_PER_USER_PER_HOUR).
   */
  createGroupChat: Chat;
  /**
   * The person called turns a ringing call down: it becomes DECLINED and both get `callEvents` DECLINED.
   * NOT_FOUND unless it is the viewer's call; FORBIDDEN for the caller; BAD_USER_INPUT once it no longer rings.
   */
  declineCall: Call;
  /**
   * Deletes a message (the sender, or an admin of the group); a tombstone without text or image remains and
   * members get `messageUpdated`. Deleting it again changes nothing. NOT_FOUND when it is no message of the
   * viewer's chats; FORBIDDEN for anyone else; RATE_LIMITED past 30 edits and deletions per 10 seconds
   * (MESSAGE_CHANGES_PER_USER_PER_10_SECONDS).
   */
  deleteMessage: Message;
  /**
   * Changes the text of one's own message and sets `editedAt`; members get `messageUpdated`. NOT_FOUND when
   * it is no message of the viewer's chats; FORBIDDEN for someone else's message; BAD_USER_INPUT for a deleted
   * one; RATE_LIMITED past 30 edits and deletions per 10 seconds (MESSAGE_CHANGES_PER_USER_PER_10_SECONDS).
   */
  editMessage: Message;
  /**
   * Either person hangs up a ringing or active call (the caller may also cancel while it rings): it becomes
   * ENDED and both get `callEvents` ENDED. NOT_FOUND unless it is the viewer's call; BAD_USER_INPUT once it is
   * over.
   */
  endCall: Call;
  /**
   * Sends a copy of a message (its text and image) to another chat the viewer is a member of, marked `forwarded`
   * (the original chat and sender are not shown). It counts as a send (SENDS_PER_USER_PER_10_SECONDS), and the same
   * `clientMessageId` again returns the first copy. NOT_FOUND when the message is no message of the viewer's chats
   * or the target no chat of theirs; BAD_USER_INPUT for a deleted message.
   */
  forwardMessage: Message;
  /**
   * Leaves a group; an owner who leaves hands the role to the longest-serving admin, else member. The viewer
   * gets `chatUpdated` REMOVED, the others MEMBERS_CHANGED. Always true. NOT_FOUND unless the viewer is a member;
   * FORBIDDEN for a direct chat; RATE_LIMITED past 30 chat changes a minute (CHAT_CHANGES_PER_USER_PER_MINUTE).
   */
  leaveChat: Scalars['Boolean']['output'];
  /**
   * Marks the chat read up to a message (and everything before it). Never moves the mark backwards; when it
   * moves, members get `chatRead`. NOT_FOUND unless the viewer is a member; RATE_LIMITED past 50 calls per 10
   * seconds (READ_MARKS_PER_USER_PER_10_SECONDS).
   */
  markChatRead: Chat;
  /**
   * Mutes a chat for the viewer: no push notification or email digest for it while they are away, until `until`
   * (a time in the future, at most 366 days ahead: MAX_MUTE_DAYS; BAD_USER_INPUT otherwise) or, without it, until
   * `unmuteChat`. Only the viewer's own
   * notifications change. NOT_FOUND unless the viewer is a member; RATE_LIMITED past 30 chat changes a minute
   * (CHAT_CHANGES_PER_USER_PER_MINUTE).
   */
  muteChat: Chat;
  /**
   * Pins a message to its chat (`Chat.pinned`): admins of a group, either person of a direct chat. Pinning it again
   * changes nothing. Members get `chatUpdated` (PINS_CHANGED) and `messageUpdated`. NOT_FOUND when it is no message
   * of the viewer's chats; FORBIDDEN for a member of a group who is not an admin; BAD_USER_INPUT for a deleted
   * message or a 51st pin (MAX_PINNED_MESSAGES_PER_CHAT); RATE_LIMITED past 30 chat changes a minute
   * (CHAT_CHANGES_PER_USER_PER_MINUTE).
   */
  pinMessage: Message;
  /**
   * Admins remove a member from a group (an admin cannot remove the owner; only the owner removes an admin). The
   * person removed gets `chatUpdated` REMOVED, the others MEMBERS_CHANGED. NOT_FOUND unless both are members;
   * FORBIDDEN in a direct chat, for a MEMBER, or against those rules; BAD_USER_INPUT for oneself (use
   * `leaveChat`); RATE_LIMITED past 30 chat changes a minute (CHAT_CHANGES_PER_USER_PER_MINUTE).
   */
  removeChatMember: Chat;
  /**
   * Takes one's reaction back; removing one that is not there changes nothing. Members get `messageUpdated` as
   * for `addReaction`. NOT_FOUND when it is no message of the viewer's chats; RATE_LIMITED as `addReaction`.
   */
  removeReaction: Message;
  /**
   * Renames a group; its admins (OWNER or ADMIN) only. Members get `chatUpdated` RENAMED. NOT_FOUND unless the
   * viewer is a member; FORBIDDEN in a direct chat or for a MEMBER; RATE_LIMITED past 30 chat changes a minute
   * (CHAT_CHANGES_PER_USER_PER_MINUTE).
   */
  renameChat: Chat;
  /**
   * Relays one ICE candidate to the other person of a ringing or active call (their `callEvents`
   * ICE_CANDIDATE); not stored, always true. NOT_FOUND unless it is the viewer's call; BAD_USER_INPUT once it is
   * over; RATE_LIMITED past 100 call signals per 10 seconds (CALL_SIGNALS_PER_USER_PER_10_SECONDS).
   */
  sendIceCandidate: Scalars['Boolean']['output'];
  /**
   * Sends a message; every member gets it from `messageAdded`. Retrying with the same `clientMessageId` returns
   * the message stored the first time and never stores a second one (nor counts against the limit). NOT_FOUND
   * unless the viewer is a member, or for an image that is not theirs, or for a `replyToId` that is no message of
   * the chat; BAD_USER_INPUT without text or image, or replying to a deleted message; RATE_LIMITED past 50
   * messages per 10 seconds (SENDS_PER_USER_PER_10_SECONDS).
   */
  sendMessage: Message;
  /**
   * Changes a member's role between ADMIN and MEMBER; only the owner may. Members get `chatUpdated`
   * MEMBERS_CHANGED. NOT_FOUND unless both are members; FORBIDDEN in a direct chat or for anyone but the owner;
   * BAD_USER_INPUT for the owner's own role; RATE_LIMITED past 30 chat changes a minute
   * (CHAT_CHANGES_PER_USER_PER_MINUTE).
   */
  setChatMemberRole: Chat;
  /**
   * Sets a group's photo or removes it; admins only, and the photo it replaces is released. Members get
   * `chatUpdated` PHOTO_CHANGED. NOT_FOUND unless the viewer is a member, or for an image that is not theirs;
   * FORBIDDEN in a direct chat or for a MEMBER; RATE_LIMITED past 30 chat changes a minute
   * (CHAT_CHANGES_PER_USER_PER_MINUTE).
   */
  setChatPhoto: Chat;
  /**
   * Hides the viewer's presence from everyone else, or shows it again: while hidden, others see OFFLINE and never
   * `lastSeenAt` (as across a block); the viewer still sees their own. Everyone who shares a chat with the viewer gets
   * `presenceChanged`. Setting what is set already changes nothing but still counts. Returns the viewer's presence.
   * RATE_LIMITED past 10 changes a minute (PRESENCE_SETTING_CHANGES_PER_USER_PER_MINUTE).
   */
  setPresenceHidden: Presence;
  /**
   * Tells the chat's other members that the viewer is typing, for 5 seconds (TYPING_EXPIRES_MS,
   * `TypingEvent.expiresAt`); send it again while typing goes on. Not stored; always true. NOT_FOUND unless the
   * viewer is a member; RATE_LIMITED past 20 calls per 10 seconds (TYPING_EVENTS_PER_USER_PER_10_SECONDS).
   */
  setTyping: Scalars['Boolean']['output'];
  /**
   * Rings the other person of a direct chat with a WebRTC SDP offer; both get `callEvents` OFFERED. A chat has
   * one ringing or active call at a time (BAD_USER_INPUT otherwise); a call not answered within 45
   * seconds (CALL_RING_TIMEOUT_MS) is MISSED. NOT_FOUND unless the viewer is a member; FORBIDDEN in a group;
   * BAD_USER_INPUT in a chat with oneself; RATE_LIMITED past 100 call signals per 10 seconds
   * (CALL_SIGNALS_PER_USER_PER_10_SECONDS).
   */
  startCall: Call;
  /**
   * The one direct chat between the viewer and `userId`, created on first use (also with oneself: notes);
   * both get `chatUpdated` CREATED when it is new. NOT_FOUND when there is no such account; RATE_LIMITED past
   * 30 chat changes a minute (CHAT_CHANGES_PER_USER_PER_MINUTE).
   */
  startDirectChat: Chat;
  /** Unblocks a person; one who is not blocked changes nothing. Errors as for `blockUser`. */
  unblockUser: User;
  /** Ends the viewer's mute of a chat (nothing changes when it is not muted). Errors as for `muteChat`. */
  unmuteChat: Chat;
  /** Unpins a message; one that is not pinned changes nothing. Who may, and the errors, as for `pinMessage`. */
  unpinMessage: Message;
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationAddChatMembersArgs = {
  chatId: Scalars['ID']['input'];
  userIds: Array<Scalars['ID']['input']>;
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationAddReactionArgs = {
  emoji: Scalars['String']['input'];
  messageId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationAnswerCallArgs = {
  answer: Scalars['String']['input'];
  callId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationBlockUserArgs = {
  userId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationCreateGroupChatArgs = {
  memberIds: Array<Scalars['ID']['input']>;
  name: Scalars['String']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationDeclineCallArgs = {
  callId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationDeleteMessageArgs = {
  messageId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationEditMessageArgs = {
  messageId: Scalars['ID']['input'];
  text: Scalars['String']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationEndCallArgs = {
  callId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationForwardMessageArgs = {
  clientMessageId: Scalars['String']['input'];
  messageId: Scalars['ID']['input'];
  toChatId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationLeaveChatArgs = {
  chatId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationMarkChatReadArgs = {
  chatId: Scalars['ID']['input'];
  upToMessageId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationMuteChatArgs = {
  chatId: Scalars['ID']['input'];
  until?: InputMaybe<Scalars['DateTime']['input']>;
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationPinMessageArgs = {
  messageId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationRemoveChatMemberArgs = {
  chatId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationRemoveReactionArgs = {
  emoji: Scalars['String']['input'];
  messageId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationRenameChatArgs = {
  chatId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationSendIceCandidateArgs = {
  callId: Scalars['ID']['input'];
  candidate: Scalars['String']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationSendMessageArgs = {
  input: SendMessageInput;
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationSetChatMemberRoleArgs = {
  chatId: Scalars['ID']['input'];
  role: ChatRole;
  userId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationSetChatPhotoArgs = {
  chatId: Scalars['ID']['input'];
  imageId?: InputMaybe<Scalars['ID']['input']>;
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationSetPresenceHiddenArgs = {
  hidden: Scalars['Boolean']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationSetTypingArgs = {
  chatId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationStartCallArgs = {
  chatId: Scalars['ID']['input'];
  offer: Scalars['String']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationStartDirectChatArgs = {
  userId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationUnblockUserArgs = {
  userId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationUnmuteChatArgs = {
  chatId: Scalars['ID']['input'];
};


/**
 * What can be changed. Every mutation needs a signed-in viewer (UNAUTHENTICATED otherwise) except the sign-in
 * mutations, `requestEmailCode` and `refreshSession`. A malformed or out-of-range argument is BAD_USER_INPUT
 * (`extensions.field` names it); RATE_LIMITED carries `extensions.retryAfterSeconds`.
 */
export type MutationUnpinMessageArgs = {
  messageId: Scalars['ID']['input'];
};

/** Where a page of a connection sits in the whole list (Relay cursor connections). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the page's last edge; null when the page is empty. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /**
   * With `first`/`after`: whether more items follow `endCursor` (pass it as `after`). With `last`/`before`:
   * whether `before` was given.
   */
  hasNextPage: Scalars['Boolean']['output'];
  /**
   * With `first`/`after`: whether `after` was given. With `last`/`before`: whether more items come before
   * `startCursor` (pass it as `before`).
   */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the page's first edge; null when the page is empty. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** One line of a message's text. */
export type Paragraph = {
  __typename?: 'Paragraph';
  /** The line's runs of plain text and links; their texts joined give the trimmed line exactly. */
  spans: Array<TextSpan>;
};

/** A message pinned to its chat. */
export type PinnedMessage = {
  __typename?: 'PinnedMessage';
  /** The message. */
  message: Message;
  /** When. */
  pinnedAt: Scalars['DateTime']['output'];
  /** Who pinned it. */
  pinnedBy: User;
};

/**
 * A person's presence as the viewer sees it: derived from their live graphql-ws connections on every gateway. Only
 * people who share a chat see each other's.
 */
export type Presence = {
  __typename?: 'Presence';
  /**
   * Whether the person hides their presence (`setPresenceHidden`); only for the viewer's own presence, null for anyone
   * else's.
   */
  hidden?: Maybe<Scalars['Boolean']['output']>;
  /**
   * When their last connection closed: set while OFFLINE, null while connected, and null when never seen or hidden from
   * the viewer.
   */
  lastSeenAt?: Maybe<Scalars['DateTime']['output']>;
  /** Here, idle or gone; OFFLINE when hidden from the viewer. */
  status: PresenceStatus;
  /** The person. */
  user: User;
};

/**
 * Whether a person is here: ONLINE with a live connection they used lately, AWAY when every one of their connections
 * has been idle for 10 minutes (PRESENCE_AWAY_AFTER_MS), OFFLINE without any.
 */
export type PresenceStatus =
  /** Connected, but idle on every connection. */
  | 'AWAY'
  /** No live connection (also what a hidden presence, or one across a block, shows). */
  | 'OFFLINE'
  /** Connected, and active lately on at least one connection. */
  | 'ONLINE';

/**
 * What can be read. Every field needs a signed-in viewer (`Authorization: Bearer <accessToken>`; UNAUTHENTICATED
 * otherwise) except `signInMethods`.
 */
export type Query = {
  __typename?: 'Query';
  /** The people the viewer blocked, the latest first; at most 1000 (MAX_BLOCKED_USERS). */
  blockedUsers: Array<User>;
  /** One of the viewer's calls (as caller or callee); NOT_FOUND otherwise. */
  call: Call;
  /** What a client needs to set up calls: the STUN/TURN servers to use. */
  callSettings: CallSettings;
  /** One of the viewer's chats; NOT_FOUND when it does not exist or the viewer is not a member. */
  chat: Chat;
  /** The viewer's chats, most recent activity first (a chat moves up with each new message). */
  chats: ChatConnection;
  /** One message of a chat the viewer is a member of; NOT_FOUND otherwise. */
  message: Message;
  /**
   * A chat's messages, newest first: `first`/`after` pages towards older messages, `last`/`before` towards
   * newer ones. Cursors stay valid while messages arrive. NOT_FOUND unless the viewer is a member.
   */
  messages: MessageConnection;
  /**
   * One person's presence as the viewer may see it (as `User.presence`, which is null where this is NOT_FOUND):
   * NOT_FOUND unless the person shares a chat with the viewer or is the viewer.
   */
  presence: Presence;
  /**
   * Messages whose text has every word of `query` (a word matches as a prefix: "deploy" finds "deployment"),
   * newest first, from the chats the viewer is a member of and only those sent since they joined, each with the
   * matching part of its text. Words of fewer than 3 characters are ignored (MIN_SEARCH_WORD_LENGTH); a query with
   * none left, over 100 characters (MAX_SEARCH_QUERY_LENGTH) or over 8 words (MAX_SEARCH_WORDS) is BAD_USER_INPUT.
   * A message is found a moment after it is sent or edited (the index follows message events). A search the index
   * cannot answer within 2 s (SEARCH_TIMEOUT_MS; a word in most messages of a huge chat) is BAD_USER_INPUT with
   * `extensions.reason: TOO_BROAD`: add a word. UNAVAILABLE while the process runs 4 searches already
   * (MAX_CONCURRENT_SEARCHES). RATE_LIMITED past 30 searches a minute (SEARCHES_PER_USER_PER_MINUTE).
   */
  searchMessages: MessageSearchConnection;
};


/**
 * What can be read. Every field needs a signed-in viewer (`Authorization: Bearer <accessToken>`; UNAUTHENTICATED
 * otherwise) except `signInMethods`.
 */
export type QueryCallArgs = {
  id: Scalars['ID']['input'];
};


/**
 * What can be read. Every field needs a signed-in viewer (`Authorization: Bearer <accessToken>`; UNAUTHENTICATED
 * otherwise) except `signInMethods`.
 */
export type QueryChatArgs = {
  id: Scalars['ID']['input'];
};


/**
 * What can be read. Every field needs a signed-in viewer (`Authorization: Bearer <accessToken>`; UNAUTHENTICATED
 * otherwise) except `signInMethods`.
 */
export type QueryChatsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * What can be read. Every field needs a signed-in viewer (`Authorization: Bearer <accessToken>`; UNAUTHENTICATED
 * otherwise) except `signInMethods`.
 */
export type QueryMessageArgs = {
  id: Scalars['ID']['input'];
};


/**
 * What can be read. Every field needs a signed-in viewer (`Authorization: Bearer <accessToken>`; UNAUTHENTICATED
 * otherwise) except `signInMethods`.
 */
export type QueryMessagesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  chatId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * What can be read. Every field needs a signed-in viewer (`Authorization: Bearer <accessToken>`; UNAUTHENTICATED
 * otherwise) except `signInMethods`.
 */
export type QueryPresenceArgs = {
  userId: Scalars['ID']['input'];
};


/**
 * What can be read. Every field needs a signed-in viewer (`Authorization: Bearer <accessToken>`; UNAUTHENTICATED
 * otherwise) except `signInMethods`.
 */
export type QuerySearchMessagesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  chatId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  query: Scalars['String']['input'];
};

/**
 * What a reply shows of the message it answers. It follows the original: an edit changes the excerpt, a deletion
 * empties it.
 */
export type QuotedMessage = {
  __typename?: 'QuotedMessage';
  /** Whether the original was deleted since. */
  deleted: Scalars['Boolean']['output'];
  /**
   * The start of the original's text: its first 100 characters (QUOTE_EXCERPT_LENGTH, in code points, lines
   * joined by spaces), with `…` when cut; null when it has no text or was deleted.
   */
  excerpt?: Maybe<Scalars['String']['output']>;
  /** Whether the original has a file. */
  hasFile: Scalars['Boolean']['output'];
  /** Whether the original has an image. */
  hasImage: Scalars['Boolean']['output'];
  /** The original's id (`Message.id`): `message(id:)` reads it whole, e.g. to scroll to it. */
  id: Scalars['ID']['output'];
  /** Who sent the original. */
  sender: User;
};

/** One emoji's reactions to a message. */
export type Reaction = {
  __typename?: 'Reaction';
  /** How many people reacted with it. */
  count: Scalars['Int']['output'];
  /** The emoji. */
  emoji: Scalars['String']['output'];
  /** The first people who reacted with it, earliest first. */
  users: Array<User>;
  /** Whether the viewer is one of them. */
  viewerReacted: Scalars['Boolean']['output'];
};


/** One emoji's reactions to a message. */
export type ReactionUsersArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** How far one member has read a chat. */
export type ReadMark = {
  __typename?: 'ReadMark';
  /** The newest message the member has read; null when they have read nothing. */
  lastReadMessageId?: Maybe<Scalars['ID']['output']>;
  /** The `seq` of that message; 0 when they have read nothing. */
  lastReadSeq: Scalars['Int']['output'];
  /** The member. */
  user: User;
};

/** A message for `sendMessage`: text, an image or a file, or text with one of them. */
export type SendMessageInput = {
  /** The chat to send to (`Chat.id`); NOT_FOUND unless the viewer is a member. */
  chatId: Scalars['ID']['input'];
  /**
   * A client-generated id (e.g. a UUID), trimmed, 1 to 64 characters (MAX_CLIENT_MESSAGE_ID_LENGTH): retries
   * with the same id are de-duplicated.
   */
  clientMessageId: Scalars['String']['input'];
  /**
   * A file you uploaded with uploadFile (purpose MESSAGE); anyone else's is NOT_FOUND. Not with `imageId`
   * (BAD_USER_INPUT).
   */
  fileId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * An image you uploaded with uploadImage (purpose MESSAGE); anyone else's is NOT_FOUND. It shows as PROCESSING
   * until ready: messageUpdated follows. Not with `fileId` (BAD_USER_INPUT).
   */
  imageId?: InputMaybe<Scalars['ID']['input']>;
  /** The message this one answers (`Message.id`), of the same chat and not deleted; it shows as `replyTo`. */
  replyToId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * Trimmed; 1 to 4000 characters (MAX_MESSAGE_LENGTH, counted in code points). Optional when the message has an
   * image or a file.
   */
  text?: InputMaybe<Scalars['String']['input']>;
};

/**
 * Live events over graphql-ws (`connection_init` carries `{ authorization: "Bearer <accessToken>" }`). Each
 * field without `chatId` follows every chat of the viewer; with `chatId`, one chat (FORBIDDEN unless the
 * viewer is a member). Fields from other subgraphs (sender names, images, previews) resolve as in a query.
 */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Calls the viewer is part of: offered, answered, declined, ended, missed, and ICE candidates from the other
   * side. Not replayed: after a reconnect, read `Chat.activeCall`.
   */
  callEvents: CallEvent;
  /**
   * A member's read mark moved forward (read receipts), the viewer's own included. Not replayed: after a
   * reconnect, read `Chat.readMarks` again.
   */
  chatRead: ChatReadEvent;
  /**
   * A chat was created with the viewer in it, renamed, its photo or members changed, or the viewer was removed.
   * Not replayed: after a reconnect, read `chats` again.
   */
  chatUpdated: ChatUpdate;
  /**
   * New messages, in order, each exactly once. To resume after a reconnect without losing anything, pass
   * `after` (with `chatId`: the cursor or `seq` of the last message seen) or `since` (without `chatId`: the id
   * of the last message seen in each chat, at most 100): what came after is replayed first, then live ones follow.
   * Ends with `UNAVAILABLE` when a message cannot be read (a service down), or after replaying 1000 messages
   * (GATEWAY_MAX_REPLAY_MESSAGES by default; `extensions.reason: REPLAY_LIMIT`): resume the same way.
   */
  messageAdded: Message;
  /**
   * A message changed: edited, deleted (a tombstone), reacted to, or later its image or link preview became
   * ready. Not replayed: after a reconnect, read the messages shown again.
   */
  messageUpdated: Message;
  /**
   * The presence of a person who shares a chat with the viewer changed as the viewer sees it (status, or hidden,
   * shown, blocked, unblocked), the viewer's own included. Someone the viewer shares no chat with is never told of.
   * Not replayed: after a reconnect, read `User.presence` of the people shown again.
   */
  presenceChanged: Presence;
  /** Someone else in the chat is typing; each event lasts until its `expiresAt`. Not replayed. */
  typing: TypingEvent;
};


/**
 * Live events over graphql-ws (`connection_init` carries `{ authorization: "Bearer <accessToken>" }`). Each
 * field without `chatId` follows every chat of the viewer; with `chatId`, one chat (FORBIDDEN unless the
 * viewer is a member). Fields from other subgraphs (sender names, images, previews) resolve as in a query.
 */
export type SubscriptionChatReadArgs = {
  chatId?: InputMaybe<Scalars['ID']['input']>;
};


/**
 * Live events over graphql-ws (`connection_init` carries `{ authorization: "Bearer <accessToken>" }`). Each
 * field without `chatId` follows every chat of the viewer; with `chatId`, one chat (FORBIDDEN unless the
 * viewer is a member). Fields from other subgraphs (sender names, images, previews) resolve as in a query.
 */
export type SubscriptionChatUpdatedArgs = {
  chatId?: InputMaybe<Scalars['ID']['input']>;
};


/**
 * Live events over graphql-ws (`connection_init` carries `{ authorization: "Bearer <accessToken>" }`). Each
 * field without `chatId` follows every chat of the viewer; with `chatId`, one chat (FORBIDDEN unless the
 * viewer is a member). Fields from other subgraphs (sender names, images, previews) resolve as in a query.
 */
export type SubscriptionMessageAddedArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  chatId?: InputMaybe<Scalars['ID']['input']>;
  since?: InputMaybe<Array<Scalars['ID']['input']>>;
};


/**
 * Live events over graphql-ws (`connection_init` carries `{ authorization: "Bearer <accessToken>" }`). Each
 * field without `chatId` follows every chat of the viewer; with `chatId`, one chat (FORBIDDEN unless the
 * viewer is a member). Fields from other subgraphs (sender names, images, previews) resolve as in a query.
 */
export type SubscriptionMessageUpdatedArgs = {
  chatId?: InputMaybe<Scalars['ID']['input']>;
};


/**
 * Live events over graphql-ws (`connection_init` carries `{ authorization: "Bearer <accessToken>" }`). Each
 * field without `chatId` follows every chat of the viewer; with `chatId`, one chat (FORBIDDEN unless the
 * viewer is a member). Fields from other subgraphs (sender names, images, previews) resolve as in a query.
 */
export type SubscriptionTypingArgs = {
  chatId?: InputMaybe<Scalars['ID']['input']>;
};

/** A run of text; `link` is the http(s) URL when the run is a link. */
export type TextSpan = {
  __typename?: 'TextSpan';
  /** For a link written out with http:// or https://, the URL (normalized); null for plain text. */
  link?: Maybe<Scalars['String']['output']>;
  /** The text exactly as written; render it as text, never as HTML. */
  text: Scalars['String']['output'];
};

/** Someone is typing (the payload of `typing`). */
export type TypingEvent = {
  __typename?: 'TypingEvent';
  /** The chat (`Chat.id`). */
  chatId: Scalars['ID']['output'];
  /** Typing is over at this time unless another event arrives. */
  expiresAt: Scalars['DateTime']['output'];
  /** Who is typing (never the viewer). */
  user: User;
};

export type User = {
  __typename?: 'User';
  displayName: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Their presence as the viewer sees it (`Presence`); null unless they share a chat with the viewer or are the viewer. */
  presence?: Maybe<Presence>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Chat: Chat;
  Message: Message;
  User: User;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Chat:
    ( { __typename: 'Chat' }
    & GraphQLRecursivePick<FederationTypes['Chat'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Chat'], {"counterpart":{"displayName":true}}> ) );
  Message:
    ( { __typename: 'Message' }
    & GraphQLRecursivePick<FederationTypes['Message'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Call: ResolverTypeWrapper<CallRow>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  CallEvent: ResolverTypeWrapper<Omit<CallEvent, 'call'> & { call: ResolversTypes['Call'] }>;
  CallEventKind: CallEventKind;
  CallSettings: ResolverTypeWrapper<CallSettings>;
  CallState: CallState;
  Chat: ResolverTypeWrapper<ChatView>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ChatConnection: ResolverTypeWrapper<Omit<ChatConnection, 'edges'> & { edges: Array<ResolversTypes['ChatEdge']> }>;
  ChatEdge: ResolverTypeWrapper<Omit<ChatEdge, 'node'> & { node: ResolversTypes['Chat'] }>;
  ChatKind: ChatKind;
  ChatMember: ResolverTypeWrapper<Omit<ChatMember, 'user'> & { user: ResolversTypes['User'] }>;
  ChatReadEvent: ResolverTypeWrapper<Omit<ChatReadEvent, 'user'> & { user: ResolversTypes['User'] }>;
  ChatRole: ChatRole;
  ChatUpdate: ResolverTypeWrapper<Omit<ChatUpdate, 'chat'> & { chat?: Maybe<ResolversTypes['Chat']> }>;
  ChatUpdateKind: ChatUpdateKind;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FileAttachment: ResolverTypeWrapper<FileAttachment>;
  HighlightSpan: ResolverTypeWrapper<HighlightSpan>;
  IceServer: ResolverTypeWrapper<IceServer>;
  Image: ResolverTypeWrapper<Image>;
  Message: ResolverTypeWrapper<MessageRow>;
  MessageBody: ResolverTypeWrapper<MessageBody>;
  MessageConnection: ResolverTypeWrapper<Omit<MessageConnection, 'edges'> & { edges: Array<ResolversTypes['MessageEdge']> }>;
  MessageEdge: ResolverTypeWrapper<Omit<MessageEdge, 'node'> & { node: ResolversTypes['Message'] }>;
  MessageSearchConnection: ResolverTypeWrapper<Omit<MessageSearchConnection, 'edges'> & { edges: Array<ResolversTypes['MessageSearchEdge']> }>;
  MessageSearchEdge: ResolverTypeWrapper<Omit<MessageSearchEdge, 'node'> & { node: ResolversTypes['Message'] }>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Paragraph: ResolverTypeWrapper<Paragraph>;
  PinnedMessage: ResolverTypeWrapper<Omit<PinnedMessage, 'message' | 'pinnedBy'> & { message: ResolversTypes['Message'], pinnedBy: ResolversTypes['User'] }>;
  Presence: ResolverTypeWrapper<PresenceView>;
  PresenceStatus: PresenceStatus;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  QuotedMessage: ResolverTypeWrapper<Omit<QuotedMessage, 'sender'> & { sender: ResolversTypes['User'] }>;
  Reaction: ResolverTypeWrapper<ReactionSummary>;
  ReadMark: ResolverTypeWrapper<Omit<ReadMark, 'user'> & { user: ResolversTypes['User'] }>;
  SendMessageInput: SendMessageInput;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TextSpan: ResolverTypeWrapper<TextSpan>;
  TypingEvent: ResolverTypeWrapper<Omit<TypingEvent, 'user'> & { user: ResolversTypes['User'] }>;
  User: ResolverTypeWrapper<UserReference>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Call: CallRow;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  CallEvent: Omit<CallEvent, 'call'> & { call: ResolversParentTypes['Call'] };
  CallSettings: CallSettings;
  Chat: ChatView;
  Int: Scalars['Int']['output'];
  Boolean: Scalars['Boolean']['output'];
  ChatConnection: Omit<ChatConnection, 'edges'> & { edges: Array<ResolversParentTypes['ChatEdge']> };
  ChatEdge: Omit<ChatEdge, 'node'> & { node: ResolversParentTypes['Chat'] };
  ChatMember: Omit<ChatMember, 'user'> & { user: ResolversParentTypes['User'] };
  ChatReadEvent: Omit<ChatReadEvent, 'user'> & { user: ResolversParentTypes['User'] };
  ChatUpdate: Omit<ChatUpdate, 'chat'> & { chat?: Maybe<ResolversParentTypes['Chat']> };
  DateTime: Scalars['DateTime']['output'];
  FileAttachment: FileAttachment;
  HighlightSpan: HighlightSpan;
  IceServer: IceServer;
  Image: Image;
  Message: MessageRow;
  MessageBody: MessageBody;
  MessageConnection: Omit<MessageConnection, 'edges'> & { edges: Array<ResolversParentTypes['MessageEdge']> };
  MessageEdge: Omit<MessageEdge, 'node'> & { node: ResolversParentTypes['Message'] };
  MessageSearchConnection: Omit<MessageSearchConnection, 'edges'> & { edges: Array<ResolversParentTypes['MessageSearchEdge']> };
  MessageSearchEdge: Omit<MessageSearchEdge, 'node'> & { node: ResolversParentTypes['Message'] };
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Paragraph: Paragraph;
  PinnedMessage: Omit<PinnedMessage, 'message' | 'pinnedBy'> & { message: ResolversParentTypes['Message'], pinnedBy: ResolversParentTypes['User'] };
  Presence: PresenceView;
  Query: Record<PropertyKey, never>;
  QuotedMessage: Omit<QuotedMessage, 'sender'> & { sender: ResolversParentTypes['User'] };
  Reaction: ReactionSummary;
  ReadMark: Omit<ReadMark, 'user'> & { user: ResolversParentTypes['User'] };
  SendMessageInput: SendMessageInput;
  Subscription: Record<PropertyKey, never>;
  TextSpan: TextSpan;
  TypingEvent: Omit<TypingEvent, 'user'> & { user: ResolversParentTypes['User'] };
  User: UserReference;
}>;

export type CallResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['Call'] = ResolversParentTypes['Call']> = ResolversObject<{
  answer?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  answeredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  callee?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  caller?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  chat?: Resolver<ResolversTypes['Chat'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  endedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  offer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['CallState'], ParentType, ContextType>;
}>;

export type CallEventResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['CallEvent'] = ResolversParentTypes['CallEvent']> = ResolversObject<{
  call?: Resolver<ResolversTypes['Call'], ParentType, ContextType>;
  candidate?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['CallEventKind'], ParentType, ContextType>;
}>;

export type CallSettingsResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['CallSettings'] = ResolversParentTypes['CallSettings']> = ResolversObject<{
  iceServers?: Resolver<Array<ResolversTypes['IceServer']>, ParentType, ContextType>;
}>;

export type ChatResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['Chat'] = ResolversParentTypes['Chat'], FederationReferenceType extends FederationReferenceTypes['Chat'] = FederationReferenceTypes['Chat']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Chat']> | FederationReferenceType, FederationReferenceType, ContextType>;
  activeCall?: Resolver<Maybe<ResolversTypes['Call']>, ParentType, ContextType>;
  counterpart?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ChatKind'], ParentType, ContextType>;
  lastActivityAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  lastMessage?: Resolver<Maybe<ResolversTypes['Message']>, ParentType, ContextType>;
  members?: Resolver<Array<ResolversTypes['ChatMember']>, ParentType, ContextType>;
  messages?: Resolver<ResolversTypes['MessageConnection'], ParentType, ContextType, Partial<ChatMessagesArgs>>;
  muted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  mutedUntil?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  photo?: Resolver<Maybe<ResolversTypes['Image']>, ParentType, ContextType>;
  pinned?: Resolver<Array<ResolversTypes['PinnedMessage']>, ParentType, ContextType>;
  readMarks?: Resolver<Array<ResolversTypes['ReadMark']>, ParentType, ContextType>;
  unreadCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  viewerRole?: Resolver<ResolversTypes['ChatRole'], ParentType, ContextType>;
}>;

export type ChatConnectionResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['ChatConnection'] = ResolversParentTypes['ChatConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ChatEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type ChatEdgeResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['ChatEdge'] = ResolversParentTypes['ChatEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Chat'], ParentType, ContextType>;
}>;

export type ChatMemberResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['ChatMember'] = ResolversParentTypes['ChatMember']> = ResolversObject<{
  joinedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['ChatRole'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type ChatReadEventResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['ChatReadEvent'] = ResolversParentTypes['ChatReadEvent']> = ResolversObject<{
  chatId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastReadMessageId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  lastReadSeq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type ChatUpdateResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['ChatUpdate'] = ResolversParentTypes['ChatUpdate']> = ResolversObject<{
  chat?: Resolver<Maybe<ResolversTypes['Chat']>, ParentType, ContextType>;
  chatId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ChatUpdateKind'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FileAttachmentResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['FileAttachment'] = ResolversParentTypes['FileAttachment']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type HighlightSpanResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['HighlightSpan'] = ResolversParentTypes['HighlightSpan']> = ResolversObject<{
  match?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type IceServerResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['IceServer'] = ResolversParentTypes['IceServer']> = ResolversObject<{
  credential?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  urls?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  username?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ImageResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['Image'] = ResolversParentTypes['Image']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type MessageResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['Message'] = ResolversParentTypes['Message'], FederationReferenceType extends FederationReferenceTypes['Message'] = FederationReferenceTypes['Message']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Message']> | FederationReferenceType, FederationReferenceType, ContextType>;
  body?: Resolver<Maybe<ResolversTypes['MessageBody']>, ParentType, ContextType>;
  chat?: Resolver<ResolversTypes['Chat'], ParentType, ContextType>;
  clientMessageId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  deletedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  editedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  file?: Resolver<Maybe<ResolversTypes['FileAttachment']>, ParentType, ContextType>;
  firstLink?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  forwarded?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  image?: Resolver<Maybe<ResolversTypes['Image']>, ParentType, ContextType>;
  pinned?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  reactions?: Resolver<Array<ResolversTypes['Reaction']>, ParentType, ContextType>;
  readBy?: Resolver<Array<ResolversTypes['User']>, ParentType, ContextType>;
  replyTo?: Resolver<Maybe<ResolversTypes['QuotedMessage']>, ParentType, ContextType>;
  sender?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  text?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type MessageBodyResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['MessageBody'] = ResolversParentTypes['MessageBody']> = ResolversObject<{
  emojiCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  emojiOnly?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  paragraphs?: Resolver<Array<ResolversTypes['Paragraph']>, ParentType, ContextType>;
}>;

export type MessageConnectionResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['MessageConnection'] = ResolversParentTypes['MessageConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['MessageEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type MessageEdgeResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['MessageEdge'] = ResolversParentTypes['MessageEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Message'], ParentType, ContextType>;
}>;

export type MessageSearchConnectionResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['MessageSearchConnection'] = ResolversParentTypes['MessageSearchConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['MessageSearchEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type MessageSearchEdgeResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['MessageSearchEdge'] = ResolversParentTypes['MessageSearchEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  excerpt?: Resolver<Array<ResolversTypes['HighlightSpan']>, ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Message'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  addChatMembers?: Resolver<ResolversTypes['Chat'], ParentType, ContextType, RequireFields<MutationAddChatMembersArgs, 'chatId' | 'userIds'>>;
  addReaction?: Resolver<ResolversTypes['Message'], ParentType, ContextType, RequireFields<MutationAddReactionArgs, 'emoji' | 'messageId'>>;
  answerCall?: Resolver<ResolversTypes['Call'], ParentType, ContextType, RequireFields<MutationAnswerCallArgs, 'answer' | 'callId'>>;
  blockUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationBlockUserArgs, 'userId'>>;
  createGroupChat?: Resolver<ResolversTypes['Chat'], ParentType, ContextType, RequireFields<MutationCreateGroupChatArgs, 'memberIds' | 'name'>>;
  declineCall?: Resolver<ResolversTypes['Call'], ParentType, ContextType, RequireFields<MutationDeclineCallArgs, 'callId'>>;
  deleteMessage?: Resolver<ResolversTypes['Message'], ParentType, ContextType, RequireFields<MutationDeleteMessageArgs, 'messageId'>>;
  editMessage?: Resolver<ResolversTypes['Message'], ParentType, ContextType, RequireFields<MutationEditMessageArgs, 'messageId' | 'text'>>;
  endCall?: Resolver<ResolversTypes['Call'], ParentType, ContextType, RequireFields<MutationEndCallArgs, 'callId'>>;
  forwardMessage?: Resolver<ResolversTypes['Message'], ParentType, ContextType, RequireFields<MutationForwardMessageArgs, 'clientMessageId' | 'messageId' | 'toChatId'>>;
  leaveChat?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationLeaveChatArgs, 'chatId'>>;
  markChatRead?: Resolver<ResolversTypes['Chat'], ParentType, ContextType, RequireFields<MutationMarkChatReadArgs, 'chatId' | 'upToMessageId'>>;
  muteChat?: Resolver<ResolversTypes['Chat'], ParentType, ContextType, RequireFields<MutationMuteChatArgs, 'chatId'>>;
  pinMessage?: Resolver<ResolversTypes['Message'], ParentType, ContextType, RequireFields<MutationPinMessageArgs, 'messageId'>>;
  removeChatMember?: Resolver<ResolversTypes['Chat'], ParentType, ContextType, RequireFields<MutationRemoveChatMemberArgs, 'chatId' | 'userId'>>;
  removeReaction?: Resolver<ResolversTypes['Message'], ParentType, ContextType, RequireFields<MutationRemoveReactionArgs, 'emoji' | 'messageId'>>;
  renameChat?: Resolver<ResolversTypes['Chat'], ParentType, ContextType, RequireFields<MutationRenameChatArgs, 'chatId' | 'name'>>;
  sendIceCandidate?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationSendIceCandidateArgs, 'callId' | 'candidate'>>;
  sendMessage?: Resolver<ResolversTypes['Message'], ParentType, ContextType, RequireFields<MutationSendMessageArgs, 'input'>>;
  setChatMemberRole?: Resolver<ResolversTypes['Chat'], ParentType, ContextType, RequireFields<MutationSetChatMemberRoleArgs, 'chatId' | 'role' | 'userId'>>;
  setChatPhoto?: Resolver<ResolversTypes['Chat'], ParentType, ContextType, RequireFields<MutationSetChatPhotoArgs, 'chatId'>>;
  setPresenceHidden?: Resolver<ResolversTypes['Presence'], ParentType, ContextType, RequireFields<MutationSetPresenceHiddenArgs, 'hidden'>>;
  setTyping?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationSetTypingArgs, 'chatId'>>;
  startCall?: Resolver<ResolversTypes['Call'], ParentType, ContextType, RequireFields<MutationStartCallArgs, 'chatId' | 'offer'>>;
  startDirectChat?: Resolver<ResolversTypes['Chat'], ParentType, ContextType, RequireFields<MutationStartDirectChatArgs, 'userId'>>;
  unblockUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationUnblockUserArgs, 'userId'>>;
  unmuteChat?: Resolver<ResolversTypes['Chat'], ParentType, ContextType, RequireFields<MutationUnmuteChatArgs, 'chatId'>>;
  unpinMessage?: Resolver<ResolversTypes['Message'], ParentType, ContextType, RequireFields<MutationUnpinMessageArgs, 'messageId'>>;
}>;

export type PageInfoResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ParagraphResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['Paragraph'] = ResolversParentTypes['Paragraph']> = ResolversObject<{
  spans?: Resolver<Array<ResolversTypes['TextSpan']>, ParentType, ContextType>;
}>;

export type PinnedMessageResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['PinnedMessage'] = ResolversParentTypes['PinnedMessage']> = ResolversObject<{
  message?: Resolver<ResolversTypes['Message'], ParentType, ContextType>;
  pinnedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  pinnedBy?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type PresenceResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['Presence'] = ResolversParentTypes['Presence']> = ResolversObject<{
  hidden?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  lastSeenAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PresenceStatus'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  blockedUsers?: Resolver<Array<ResolversTypes['User']>, ParentType, ContextType>;
  call?: Resolver<ResolversTypes['Call'], ParentType, ContextType, RequireFields<QueryCallArgs, 'id'>>;
  callSettings?: Resolver<ResolversTypes['CallSettings'], ParentType, ContextType>;
  chat?: Resolver<ResolversTypes['Chat'], ParentType, ContextType, RequireFields<QueryChatArgs, 'id'>>;
  chats?: Resolver<ResolversTypes['ChatConnection'], ParentType, ContextType, RequireFields<QueryChatsArgs, 'first'>>;
  message?: Resolver<ResolversTypes['Message'], ParentType, ContextType, RequireFields<QueryMessageArgs, 'id'>>;
  messages?: Resolver<ResolversTypes['MessageConnection'], ParentType, ContextType, RequireFields<QueryMessagesArgs, 'chatId'>>;
  presence?: Resolver<ResolversTypes['Presence'], ParentType, ContextType, RequireFields<QueryPresenceArgs, 'userId'>>;
  searchMessages?: Resolver<ResolversTypes['MessageSearchConnection'], ParentType, ContextType, RequireFields<QuerySearchMessagesArgs, 'first' | 'query'>>;
}>;

export type QuotedMessageResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['QuotedMessage'] = ResolversParentTypes['QuotedMessage']> = ResolversObject<{
  deleted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  excerpt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasFile?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasImage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  sender?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type ReactionResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['Reaction'] = ResolversParentTypes['Reaction']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  emoji?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  users?: Resolver<Array<ResolversTypes['User']>, ParentType, ContextType, RequireFields<ReactionUsersArgs, 'first'>>;
  viewerReacted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ReadMarkResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['ReadMark'] = ResolversParentTypes['ReadMark']> = ResolversObject<{
  lastReadMessageId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  lastReadSeq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  callEvents?: SubscriptionResolver<ResolversTypes['CallEvent'], "callEvents", ParentType, ContextType>;
  chatRead?: SubscriptionResolver<ResolversTypes['ChatReadEvent'], "chatRead", ParentType, ContextType, Partial<SubscriptionChatReadArgs>>;
  chatUpdated?: SubscriptionResolver<ResolversTypes['ChatUpdate'], "chatUpdated", ParentType, ContextType, Partial<SubscriptionChatUpdatedArgs>>;
  messageAdded?: SubscriptionResolver<ResolversTypes['Message'], "messageAdded", ParentType, ContextType, Partial<SubscriptionMessageAddedArgs>>;
  messageUpdated?: SubscriptionResolver<ResolversTypes['Message'], "messageUpdated", ParentType, ContextType, Partial<SubscriptionMessageUpdatedArgs>>;
  presenceChanged?: SubscriptionResolver<ResolversTypes['Presence'], "presenceChanged", ParentType, ContextType>;
  typing?: SubscriptionResolver<ResolversTypes['TypingEvent'], "typing", ParentType, ContextType, Partial<SubscriptionTypingArgs>>;
}>;

export type TextSpanResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['TextSpan'] = ResolversParentTypes['TextSpan']> = ResolversObject<{
  link?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type TypingEventResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['TypingEvent'] = ResolversParentTypes['TypingEvent']> = ResolversObject<{
  chatId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type UserResolvers<ContextType = MessageContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  presence?: Resolver<Maybe<ResolversTypes['Presence']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = MessageContext> = ResolversObject<{
  Call?: CallResolvers<ContextType>;
  CallEvent?: CallEventResolvers<ContextType>;
  CallSettings?: CallSettingsResolvers<ContextType>;
  Chat?: ChatResolvers<ContextType>;
  ChatConnection?: ChatConnectionResolvers<ContextType>;
  ChatEdge?: ChatEdgeResolvers<ContextType>;
  ChatMember?: ChatMemberResolvers<ContextType>;
  ChatReadEvent?: ChatReadEventResolvers<ContextType>;
  ChatUpdate?: ChatUpdateResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  FileAttachment?: FileAttachmentResolvers<ContextType>;
  HighlightSpan?: HighlightSpanResolvers<ContextType>;
  IceServer?: IceServerResolvers<ContextType>;
  Image?: ImageResolvers<ContextType>;
  Message?: MessageResolvers<ContextType>;
  MessageBody?: MessageBodyResolvers<ContextType>;
  MessageConnection?: MessageConnectionResolvers<ContextType>;
  MessageEdge?: MessageEdgeResolvers<ContextType>;
  MessageSearchConnection?: MessageSearchConnectionResolvers<ContextType>;
  MessageSearchEdge?: MessageSearchEdgeResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Paragraph?: ParagraphResolvers<ContextType>;
  PinnedMessage?: PinnedMessageResolvers<ContextType>;
  Presence?: PresenceResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  QuotedMessage?: QuotedMessageResolvers<ContextType>;
  Reaction?: ReactionResolvers<ContextType>;
  ReadMark?: ReadMarkResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TextSpan?: TextSpanResolvers<ContextType>;
  TypingEvent?: TypingEventResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
}>;

