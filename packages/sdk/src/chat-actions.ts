import type { Request } from './message-actions.ts';
import { MuteChatDocument, UnmuteChatDocument, type ChatSummaryFragment } from './generated/graphql.ts';

/**
 * What the viewer changes of a chat for themselves, answered with the chat as they now see it (`onChat` keeps it).
 */
export function chatActions(request: Request, onChat: (chat: ChatSummaryFragment) => void) {
  return {
    /** Mutes a chat for the viewer: no notification while away, until `until` (an ISO date-time) or `unmute`. */
    async mute(chatId: string, until?: string): Promise<void> {
      onChat((await request(MuteChatDocument, { chatId, ...(until ? { until } : {}) })).muteChat);
    },
    /** Ends the viewer's mute of a chat. */
    async unmute(chatId: string): Promise<void> {
      onChat((await request(UnmuteChatDocument, { chatId })).unmuteChat);
    },
  };
}
