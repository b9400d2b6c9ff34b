import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import {
  LetsTalkError,
  SearchMessagesDocument,
  type ChatSummaryFragment,
  type SearchMessagesQuery,
  type Session,
} from '@letstalk/sdk';
import { chatTitle } from './chat-list.tsx';
import { messageOf, timeOf } from './hooks.ts';

type Found = SearchMessagesQuery['searchMessages'];
type Edge = Found['edges'][number];

/** A search on show: its query, the results read so far (page after page), and whether the server has more. */
interface Search {
  query: string;
  edges: readonly Edge[];
  pageInfo: Found['pageInfo'];
}

/** The server's own words for a query it refuses (too short, too long, too broad); otherwise what failed. */
const searchError = (failure: unknown) =>
  failure instanceof LetsTalkError && failure.code === 'BAD_USER_INPUT'
    ? failure.message
    : `Could not search: ${messageOf(failure)}`;

/**
 * `searchMessages` for the sidebar: `run` starts a search (the answer of an earlier one still on its way is then
 * dropped), `more` reads the next page of the one on show, `clear` forgets it. `open` from a search until cleared.
 */
function useMessageSearch(session: Session) {
  const [search, setSearch] = useState<Search>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const latest = useRef(0);

  const read = (query: string, previous?: Search) => {
    const ticket = ++latest.current;
    setOpen(true);
    setBusy(true);
    setError(undefined);
    if (!previous) setSearch(undefined);
    session.request(SearchMessagesDocument, { query, after: previous?.pageInfo.endCursor }).then(
      ({ searchMessages: found }) => {
        if (ticket !== latest.current) return;
        setSearch({ query, edges: [...(previous?.edges ?? []), ...found.edges], pageInfo: found.pageInfo });
        setBusy(false);
      },
      (failure: unknown) => {
        if (ticket !== latest.current) return;
        setError(searchError(failure));
        setBusy(false);
      },
    );
  };

  const clear = () => {
    latest.current += 1;
    setOpen(false);
    setBusy(false);
    setSearch(undefined);
    setError(undefined);
  };

  return {
    search,
    open,
    busy,
    error,
    /** An empty query goes back to the chat list. */
    run: (query: string) => {
      if (query.trim()) read(query.trim());
      else clear();
    },
    more: () => {
      if (search && !busy) read(search.query, search);
    },
    clear,
  };
}

/** An excerpt's spans in turn, the matching ones marked: text nodes only, never HTML. */
function Highlighted({ spans }: { spans: Edge['excerpt'] }) {
  return (
    <>
      {spans.map((span, index) =>
        span.match ? <mark key={index}>{span.text}</mark> : <span key={index}>{span.text}</span>,
      )}
    </>
  );
}

/** One message found: its chat, who sent it and when, and the excerpt; a click opens the chat. */
function Result(props: { edge: Edge; chats: readonly ChatSummaryFragment[]; onOpen: (chatId: string) => void }) {
  const { node, excerpt } = props.edge;
  // A direct chat has no name of its own: the chat list knows the other person.
  const chat = props.chats.find((entry) => entry.id === node.chat.id);
  const title = chat ? chatTitle(chat) : node.chat.name || 'Direct chat';
  return (
    <li>
      <button
        type="button"
        class="search-result"
        data-testid="search-result"
        data-chat-id={node.chat.id}
        onClick={() => props.onOpen(node.chat.id)}
      >
        <span class="search-result-head">
          <span class="search-chat">{title}</span>
          <time class="search-time" dateTime={node.createdAt}>
            {timeOf(node.createdAt)}
          </time>
        </span>
        <span class="search-sender">{node.sender.displayName}</span>
        <span class="search-excerpt">
          <Highlighted spans={excerpt} />
        </span>
      </button>
    </li>
  );
}

/**
 * The sidebar's message search: a field (Enter searches, × clears) and, from a search until cleared, its results
 * in place of `children` (the chat list): newest first, More for the next page, the server's message when it
 * refuses the query. A result opens its chat.
 */
export function MessageSearch(props: {
  session: Session;
  chats: readonly ChatSummaryFragment[];
  onOpen: (chatId: string) => void;
  children: ComponentChildren;
}) {
  const { search, open, busy, error, run, more, clear } = useMessageSearch(props.session);
  const [text, setText] = useState('');
  const found = search?.edges ?? [];
  return (
    <>
      <form
        class="search"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          run(text);
        }}
      >
        <input
          type="text"
          aria-label="Search messages"
          placeholder="Search messages"
          enterKeyHint="search"
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
        />
        {(open || text) && (
          <button
            type="button"
            class="search-clear"
            aria-label="Clear search"
            title="Clear search"
            onClick={() => {
              setText('');
              clear();
            }}
          >
            ×
          </button>
        )}
      </form>
      {open ? (
        <section
          class="search-results"
          aria-label="Search results"
          aria-busy={busy ? 'true' : 'false'}
          data-testid="search-results"
        >
          {found.length > 0 && (
            <ol>
              {found.map((edge) => (
                <Result key={edge.cursor} edge={edge} chats={props.chats} onOpen={props.onOpen} />
              ))}
            </ol>
          )}
          {search && found.length === 0 && !search.pageInfo.hasNextPage && (
            <p class="search-note">No messages found.</p>
          )}
          {busy && <p class="search-note">Searching…</p>}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {search?.pageInfo.hasNextPage && !busy && (
            <button type="button" class="link search-more" onClick={more}>
              More
            </button>
          )}
        </section>
      ) : (
        props.children
      )}
    </>
  );
}
