import type { MessageContext } from '../context.ts';
import { callIdOf, effectiveState } from '../data/call-repository.ts';
import type { CallResolvers } from '../generated/resolvers.ts';
import { userReference } from '../ids.ts';

export const Call: CallResolvers<MessageContext> = {
  id: (call) => callIdOf(call),
  async chat(call, _args, context) {
    const chat = await context.loaders.chat.load(call.chatId);
    if (!chat) throw new Error('call of a chat the viewer cannot see');
    return chat;
  },
  caller: (call) => userReference(call.callerId),
  callee: (call) => userReference(call.calleeId),
  state: (call) => effectiveState(call),
};
