import { badUserInput } from '@letstalk/errors';
import { parseSeqCursor, parseUuid } from '@letstalk/server';
import type { LiveOperation } from './live-operation.ts';

/** Chats one `messageAdded(since:)` may resume at once. */
export const MAX_RESUME_CHATS = 100;

/** Where a replay starts: after message `afterSeq` of a chat. */
export interface ResumePoint {
  chatId: string;
  afterSeq: number;
}

/**
 * Where a `messageAdded` subscription resumes: after its `after` cursor when it follows one chat, after
 * each message id of `since` (in the order given) when it follows every chat; nowhere without them. Each
 * point is read when it is reached, so a malformed one fails after those before it were replayed.
 */
export function* resumePoints(live: Pick<LiveOperation, 'chatId' | 'after' | 'since'>): Generator<ResumePoint> {
  if (live.chatId !== undefined && live.after != null) {
    yield { chatId: live.chatId, afterSeq: parseSeqCursor(live.after, 'after') };
  } else if (live.chatId === undefined && live.since?.length) {
    if (live.since.length > MAX_RESUME_CHATS) {
      throw badUserInput(`since lists at most ${MAX_RESUME_CHATS} chats.`, 'since');
    }
    for (const messageId of live.since) {
      // Not parseMessageId: `<chatId>:0` (nothing seen yet) resumes a chat from its first message.
      const [chatId, seq, ...rest] = messageId.split(':');
      if (!chatId || seq === undefined || rest.length > 0) throw badUserInput('since holds message ids.', 'since');
      yield { chatId: parseUuid(chatId, 'since'), afterSeq: parseSeqCursor(seq, 'since') };
    }
  }
}
