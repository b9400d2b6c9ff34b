/** Every input limit of the message subgraph, in one place (documented in the README). */
export const MAX_MESSAGE_LENGTH = 4000;
export const MAX_CLIENT_MESSAGE_ID_LENGTH = 64;
export const MAX_CHAT_NAME_LENGTH = 100;
/** Members of a group, the owner included. */
export const MAX_GROUP_MEMBERS = 256;
export const MAX_MESSAGES_PAGE_SIZE = 100;
export const DEFAULT_MESSAGES_PAGE_SIZE = 20;
export const MAX_CHATS_PAGE_SIZE = 50;
/** `unreadCount` stops counting here (clients show "999+"), so a long-unread chat costs no more. */
export const UNREAD_COUNT_CAP = 1000;
/** Messages one person may send per 10 seconds, across all chats and instances. */
export const SENDS_PER_USER_PER_10_SECONDS = 50;
/**
 * Changes to chats one person may make per minute, across chats and instances: renames, photos, members
 * added or removed, roles, leaving, and opening a direct chat.
 */
export const CHAT_CHANGES_PER_USER_PER_MINUTE = 30;
/** Groups one person may create per hour. */
export const GROUPS_CREATED_PER_USER_PER_HOUR = 20;
/**
 * People one person may put into groups per hour (at creation and by adding), so nobody fills strangers'
 * chat lists with groups they never asked for.
 */
export const PEOPLE_ADDED_PER_USER_PER_HOUR = 1000;
/** Edits and deletions of messages one person may make per 10 seconds. */
export const MESSAGE_CHANGES_PER_USER_PER_10_SECONDS = 30;
/** `markChatRead` calls one person may make per 10 seconds (each moved mark is an event to every member). */
export const READ_MARKS_PER_USER_PER_10_SECONDS = 50;
/** How long to wait for a just-uploaded image to reach this subgraph (`media.image.uploaded`) before it is refused as NOT_FOUND. */
export const KNOWN_IMAGE_WAIT_MS = 3_000;
/**
 * How long to wait for a just-created account to reach this subgraph (through `user.created`) before a
 * chat with it is refused as NOT_FOUND.
 */
export const KNOWN_USER_WAIT_MS = 3_000;
/**
 * Characters of message text whose structured form (paragraphs, links, emoji) each process keeps
 * formatted, least recently used first out (about 2 bytes per character plus the spans).
 */
export const FORMATTED_TEXT_CACHE_CHARS = 4_000_000;
/** A typing event lasts this long unless the client sends another (`TypingEvent.expiresAt`). */
export const TYPING_EXPIRES_MS = 5_000;
/** `setTyping` calls one person may make per 10 seconds, across chats and instances. */
export const TYPING_EVENTS_PER_USER_PER_10_SECONDS = 20;
/** Characters of an SDP offer or answer. */
export const MAX_SDP_LENGTH = 20_000;
/** Characters of one ICE candidate. */
export const MAX_ICE_CANDIDATE_LENGTH = 1_000;
/** A call rings this long before it is MISSED. */
export const CALL_RING_TIMEOUT_MS = 45_000;
/** Call signalling calls (start, answer, candidates, ...) one person may make per 10 seconds. */
export const CALL_SIGNALS_PER_USER_PER_10_SECONDS = 100;
/** Characters (code points) of a reaction's emoji; a single emoji is checked besides (`addReaction`). */
export const MAX_REACTION_EMOJI_LENGTH = 32;
/** Distinct emoji one message may be reacted with (people reacting with one already there are never refused). */
export const MAX_REACTION_EMOJI_PER_MESSAGE = 20;
/** `Reaction.users(first:)`: the most people one page lists. */
export const MAX_REACTION_USERS_PAGE_SIZE = 20;
/** Reactions one person may add or remove per 10 seconds, across chats and instances. */
export const REACTIONS_PER_USER_PER_10_SECONDS = 30;
/**
 * Reactions to one message within this window reach its members as one `messageUpdated`, so a burst of
 * clicks in a large group costs one payload per member, not one per click.
 */
export const REACTION_UPDATE_WINDOW_MS = 250;
/** Characters (code points) of the original's text a reply quotes (`QuotedMessage.excerpt`). */
export const QUOTE_EXCERPT_LENGTH = 100;
/** Messages pinned to one chat at a time (`pinMessage`). */
export const MAX_PINNED_MESSAGES_PER_CHAT = 50;
/** People one person may block (`blockUser`). */
export const MAX_BLOCKED_USERS = 1000;
/** `searchMessages`: characters of a query, words in it, and the shortest word searched (InnoDB's ft_min_token_size). */
export const MAX_SEARCH_QUERY_LENGTH = 100;
export const MAX_SEARCH_WORDS = 8;
export const MIN_SEARCH_WORD_LENGTH = 3;
/** `searchMessages(first:)`. */
export const MAX_SEARCH_PAGE_SIZE = 50;
/** Characters (code points) of the text around a match `searchMessages` shows. */
export const SEARCH_EXCERPT_LENGTH = 160;
/** Searches one person may run per minute, across instances. */
export const SEARCHES_PER_USER_PER_MINUTE = 30;
/**
 * A search the database has not answered by then is stopped and refused (BAD_USER_INPUT, `reason: TOO_BROAD`): a
 * word in most messages of a huge chat must not hold the database for seconds.
 */
export const SEARCH_TIMEOUT_MS = 2_000;
/** Searches one message subgraph process runs at the database at once; another is UNAVAILABLE meanwhile. */
export const MAX_CONCURRENT_SEARCHES = 4;
/** `setPresenceHidden` calls one person may make per minute, across instances (each tells everyone in their chats). */
export const PRESENCE_SETTING_CHANGES_PER_USER_PER_MINUTE = 10;
/** How far ahead a mute's end may be (`muteChat(until:)`); a mute without an end needs no `until`. */
export const MAX_MUTE_DAYS = 366;
