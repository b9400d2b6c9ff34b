/** A message as the search index keeps it. */
interface SearchEntry {
  chatId: string;
  seq: number;
  createdAt: Date;
  text: string;
}

/** Where a page of matches continues: the last match of the page before. */
export interface SearchPosition {
  createdAt: Date;
  chatId: string;
  seq: number;
}

interface SearchRequest {
  /** Words to find, each as a prefix, all of them in a message: letters and digits only, already checked. */
  words: string[];
  /** The member whose chats are searched: only messages sent since they joined each one. */
  viewerId: string;
  /** One chat only (the viewer's membership checked by the caller). */
  chatId?: string | undefined;
  first: number;
  after?: SearchPosition | undefined;
}

/**
 * Message search behind one interface, fed by message events (created, edited, deleted) through the search
 * indexer. The first implementation is InnoDB FULLTEXT in the message database (mariadb-search-index.ts), so
 * nothing new has to run; a larger installation plugs in OpenSearch or Meilisearch here: `put` and `remove` write
 * its documents, and `search` filters by the viewer's memberships (chat ids and join times, read from the message
 * database) before it ranks by time.
 */
export interface SearchIndex {
  /** Adds or replaces a message's text. */
  put(entry: SearchEntry): Promise<void>;
  /** Forgets a message (deleted, or its text gone). */
  remove(key: { chatId: string; seq: number }): Promise<void>;
  /** Matches, newest first, at most `first`. */
  search(request: SearchRequest): Promise<SearchPosition[]>;
}

/** The index could not answer in time (a word in most messages of a huge chat): the caller asks for more words. */
export class SearchTooBroad extends Error {
  constructor() {
    super('search too broad');
  }
}

/** The index has as many searches running as it takes: the caller tries again in a moment. */
export class SearchBusy extends Error {
  constructor() {
    super('search busy');
  }
}
