import type { MessageContext } from '../context.ts';
import { callIdOf, effectiveState } from '../data/call-repository.ts';
import type { CallResolvers } from '../generated/resolvers.ts';
import { userReference } from '../ids.ts';
import { chatOf } from './access.ts';

export const Call: CallResolvers<MessageContext> = {
  id: (call) => callIdOf(call),
  chat: (call, _args, context) => chatOf(context, call),
  caller: (call) => userReference(call.callerId),
  callee: (call) => userReference(call.calleeId),
  state: (call) => effectiveState(call),
};
