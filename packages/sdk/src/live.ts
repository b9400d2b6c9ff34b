import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type FormattedExecutionResult } from 'graphql';
import { createClient as createWsClient } from 'graphql-ws';
import { activityReporter } from './activity.ts';
import { MessageAddedDocument, type MessageAddedSubscription } from './generated/graphql.ts';
import { backoffDelay, endOf, isCloseEvent, ResumeCursors, sleep, type Backoff } from './resume.ts';

/** The gateway's close code when the access token expires or the session ends (graphql-ws: Unauthorized). */
const CLOSE_UNAUTHORIZED = 4401;
/** graphql-ws' Forbidden: the token in `connection_init` was refused. */
const CLOSE_FORBIDDEN = 4403;
/** Failed reconnections in a row after which the state says `offline` (retrying goes on). */
const OFFLINE_AFTER_ATTEMPTS = 3;

/** @public */
export type ConnectionState = 'connecting' | 'live' | 'resuming' | 'offline';

/** @public */
export type LiveMessage = MessageAddedSubscription['messageAdded'];

/**
 * What the live connection needs from a session (a {@link Session} has it all).
 * @public
 */
export interface LiveAuth {
  accessToken(): Promise<string | undefined>;
  /** Renews after the gateway refused `rejected` (4401); resolves undefined when the session is over. */
  renew?(rejected: string): Promise<{ accessToken: string } | undefined>;
  /** Session state, to close everything on sign-out. */
  subscribe?(listener: () => void): () => void;
  getSnapshot?(): { status: string };
}

/** @public */
export interface LiveOptions {
  /** The gateway's `/graphql` URL (http or ws). */
  url: string;
  auth?: LiveAuth;
  /** A WebSocket implementation where there is no global one (Node 20: `ws`). */
  webSocketImpl?: unknown;
  backoff?: Backoff;
}

/**
 * Why a stream ended for good: the errors the gateway ended it with, or `signedOut`.
 * @public
 */
export type LiveEnd = readonly { message: string; extensions?: Record<string, unknown> }[] | 'signedOut';

interface Stream {
  payload(): { query: string; variables: Record<string, unknown> };
  next(result: FormattedExecutionResult<Record<string, unknown>, unknown>): void;
  onEnd?: (why: LiveEnd) => void;
  run?: object;
  cancel?: () => void;
  /** Restarts in a row that delivered nothing (back-off for UNAVAILABLE). */
  failures: number;
}

/**
 * One graphql-ws connection that stays up by itself: after any drop it reconnects with exponential back-off
 * and jitter (after the gateway's 4401, once the session renewed the token), and starts every stream again,
 * `messageAdded` from the last message it delivered, so the app sees each message once and in order.
 * graphql-ws' own retries are off: they would send the first variables again, not the cursors reached.
 * @public
 */
export function createLive(options: LiveOptions) {
  const url = options.url.replace(/^http/, 'ws');
  const streams = new Set<Stream>();
  const stateListeners = new Set<() => void>();
  const resumedListeners = new Set<() => void>();
  let state: ConnectionState = 'offline';
  let everConnected = false;
  let attempts = 0;
  let recovering = false;
  let lastClose: number | undefined;
  let usedToken: string | undefined;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const listener of [...stateListeners]) listener();
  };

  const ws = createWsClient({
    url,
    lazy: true,
    retryAttempts: 0,
    ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
    connectionParams: async () => {
      usedToken = await options.auth?.accessToken();
      return usedToken ? { authorization: `Bearer ${usedToken}` } : {};
    },
    on: {
      connecting: () => {
        if (!everConnected) setState('connecting');
      },
      connected: () => {
        const resumed = everConnected;
        everConnected = true;
        attempts = 0;
        setState('live');
        if (resumed) for (const listener of [...resumedListeners]) listener();
      },
      closed: (event) => dropped(event),
    },
  });

  function start(stream: Stream) {
    const run = {};
    stream.run = run;
    stream.cancel = ws.subscribe<Record<string, unknown>>(stream.payload(), {
      next: (result) => {
        if (stream.run === run) stream.next(result);
      },
      error: (error) => {
        if (stream.run === run) void ended(stream, error);
      },
      complete: () => {
        if (stream.run === run && streams.has(stream)) void restart(stream, true);
      },
    });
  }

  function cancel(stream: Stream) {
    stream.run = undefined;
    stream.cancel?.();
    stream.cancel = undefined;
  }

  /** Stops a stream for good; `why` (not for the app's own stop) goes to its `onEnd`. */
  function finish(stream: Stream, why?: LiveEnd) {
    cancel(stream);
    if (streams.delete(stream) && why) stream.onEnd?.(why);
  }

  /** Starts one stream again (from its cursors), at once or after its back-off. */
  async function restart(stream: Stream, backOff: boolean) {
    cancel(stream);
    if (backOff) await sleep(backoffDelay(stream.failures++, options.backoff));
    if (streams.has(stream) && !recovering && !stream.run) start(stream);
  }

  async function ended(stream: Stream, error: unknown) {
    const end = endOf(error);
    if (!end) return dropped(error);
    if (end.code === 'UNAVAILABLE' || end.code === 'RATE_LIMITED') {
      return restart(stream, end.reason !== 'REPLAY_LIMIT');
    }
    finish(stream, error as LiveEnd);
  }

  /** The socket closed or failed: every stream stops and all start again together once reconnected. */
  function dropped(event: unknown) {
    // graphql-ws closes an idle socket (1000) when the last operation stops, e.g. one waiting for its back-off.
    if (isCloseEvent(event) && event.code === 1000 && ![...streams].some((stream) => stream.run)) return;
    if (isCloseEvent(event)) lastClose = event.code;
    for (const stream of streams) cancel(stream);
    if (streams.size === 0) return setState('offline');
    if (recovering) return;
    recovering = true;
    setState(everConnected && attempts < OFFLINE_AFTER_ATTEMPTS ? 'resuming' : 'offline');
    setTimeout(() => void recover(), 0);
  }

  async function recover() {
    const code = lastClose;
    lastClose = undefined;
    const attempt = attempts++;
    const unauthorized = code === CLOSE_UNAUTHORIZED || code === CLOSE_FORBIDDEN;
    try {
      if (attempt > 0 || !unauthorized) await sleep(backoffDelay(attempt, options.backoff));
      if (unauthorized && options.auth?.renew && usedToken) {
        if (!(await options.auth.renew(usedToken))) return endAll('signedOut');
      } else if (code === CLOSE_UNAUTHORIZED) {
        // No way to renew: a 4401 is final (the token expired, or the session ended).
        return endAll([
          { message: 'The access token expired or the session ended.', extensions: { code: 'UNAUTHENTICATED' } },
        ]);
      }
    } catch {
      // Renewing failed on the network: the next attempt tries again after its back-off.
    }
    recovering = false;
    if (streams.size === 0) return setState('offline');
    if (attempts > OFFLINE_AFTER_ATTEMPTS) setState('offline');
    for (const stream of streams) if (!stream.run) start(stream);
  }

  function endAll(why: LiveEnd) {
    recovering = false;
    for (const stream of [...streams]) finish(stream, why);
    setState('offline');
  }

  function open(stream: Stream) {
    streams.add(stream);
    if (!recovering) start(stream);
    return { stop: () => finish(stream) };
  }

  const stopWatchingSession = options.auth?.subscribe?.(() => {
    if (options.auth?.getSnapshot?.().status === 'signedOut') {
      endAll('signedOut');
      ws.terminate();
    }
  });

  return {
    /** useSyncExternalStore-style connection state. */
    subscribe(listener: () => void): () => void {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    getSnapshot: (): ConnectionState => state,
    /** Tells the gateway the user is here (on input, say): without it they show as AWAY after 10 idle minutes. */
    reportActivity: activityReporter(ws),
    /** Called after every reconnection (not the first connection): read what is not replayed again. */
    onResumed(listener: () => void): () => void {
      resumedListeners.add(listener);
      return () => resumedListeners.delete(listener);
    },

    /**
     * New messages of one chat (`chatId`, from after `after`, its last seq the app has) or of every chat
     * (`since`: chat id → last seq the app has), each once and in order, across drops and renewals.
     */
    messages(
      target: { chatId: string; after?: number } | { since?: Record<string, number> },
      onMessage: (message: LiveMessage) => void,
      onEnd?: (why: LiveEnd) => void,
    ) {
      const chatId = 'chatId' in target ? target.chatId : undefined;
      const cursors = new ResumeCursors(
        chatId !== undefined && 'after' in target && target.after !== undefined
          ? { [chatId]: target.after }
          : 'since' in target
            ? target.since
            : {},
      );
      const query = print(MessageAddedDocument);
      const stream: Stream = {
        failures: 0,
        ...(onEnd ? { onEnd } : {}),
        payload: () => {
          const after = chatId === undefined ? undefined : cursors.after(chatId);
          const since = chatId === undefined ? cursors.since() : [];
          return {
            query,
            variables: {
              ...(chatId ? { chatId } : {}),
              ...(after ? { after } : {}),
              ...(since.length ? { since } : {}),
            },
          };
        },
        next: (result) => {
          const message = (result.data as MessageAddedSubscription | undefined)?.messageAdded;
          if (!message) return;
          const verdict = cursors.check(message.chat.id, message.seq);
          if (verdict === 'gap') return void restart(stream, false);
          if (verdict === 'duplicate') return;
          cursors.delivered(message.chat.id, message.seq);
          stream.failures = 0;
          onMessage(message);
        },
      };
      return { ...open(stream), cursors: () => cursors.snapshot() };
    },

    /** Any other subscription (typing, chatUpdated, chatRead, ...), started again after every drop. */
    follow<Result, Vars extends Record<string, unknown>>(
      document: TypedDocumentNode<Result, Vars>,
      variables: Vars,
      onData: (data: Result, result: FormattedExecutionResult<Result, unknown>) => void,
      onEnd?: (why: LiveEnd) => void,
    ) {
      const query = print(document);
      return open({
        failures: 0,
        ...(onEnd ? { onEnd } : {}),
        payload: () => ({ query, variables }),
        next: (result) => {
          if (result.data) onData(result.data as Result, result as FormattedExecutionResult<Result, unknown>);
        },
      });
    },

    /** Ends every stream and closes the socket. */
    async dispose(): Promise<void> {
      stopWatchingSession?.();
      for (const stream of [...streams]) finish(stream);
      setState('offline');
      await ws.dispose();
    },
  };
}

/** @public */
export type Live = ReturnType<typeof createLive>;
