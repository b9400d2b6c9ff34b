import { badUserInput } from '@letstalk/errors';
import { parseUuid } from '@letstalk/server';
import type { LiveOperation } from './live-operation.ts';

/** Chats one `messageAdded(since:)` may resume at once. */
export const MAX_RESUME_CHATS = 100;

/**
 * Where a replay starts: after `cursor` in a chat's history. Cursors are the message subgraph's (it says
 * whether one is valid when the replay reads it); `Message.seq` is one too, as the API documents for `after`.
 */
export interface ResumePoint {
  chatId: string;
  cursor: string;
}

/**
 * Where a `messageAdded` subscription resumes: after its `after` cursor when it follows one chat, after
 * each message id of `since` (in the order given) when it follows every chat; nowhere without them. Each
 * point is read when it is reached, so a malformed one fails after those before it were replayed.
 */
export function* resumePoints(live: Pick<LiveOperation, 'chatId' | 'after' | 'since'>): Generator<ResumePoint> {
  if (live.chatId !== undefined && live.after != null) {
    yield { chatId: live.chatId, cursor: live.after };
  } else if (live.chatId === undefined && live.since?.length) {
    if (live.since.length > MAX_RESUME_CHATS) {
      throw badUserInput(`since lists at most ${MAX_RESUME_CHATS} chats.`, 'since');
    }
    for (const messageId of live.since) {
      // `since` names the last message seen of each chat by its id, which the API documents as
      // `<chatId>:<seq>` (with `<chatId>:0` for none yet): the chat is the part before the colon (a chat id,
      // checked here so that one chat has one spelling), and the seq a cursor of that chat, which the message
      // subgraph checks when the replay reads it.
      const [chatId, seq, ...rest] = messageId.split(':');
      if (!chatId || !seq || rest.length > 0) throw badUserInput('since holds message ids.', 'since');
      yield { chatId: parseUuid(chatId, 'since'), cursor: seq };
    }
  }
}
