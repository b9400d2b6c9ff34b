import type { MessageContext } from '../context.ts';
import type { MutationResolvers } from '../generated/resolvers.ts';
import { blockMutations } from './mutations/blocks.ts';
import { callMutations } from './mutations/calls.ts';
import { chatMutations } from './mutations/chats.ts';
import { memberMutations } from './mutations/members.ts';
import { messageMutations } from './mutations/messages.ts';
import { muteMutations } from './mutations/mutes.ts';
import { pinMutations } from './mutations/pins.ts';
import { reactionMutations } from './mutations/reactions.ts';
import { readStateMutations } from './mutations/read-state.ts';
import { typingMutations } from './mutations/typing.ts';
import { presenceMutations } from './presence.ts';

export const Mutation: MutationResolvers<MessageContext> = {
  ...chatMutations,
  ...memberMutations,
  ...messageMutations,
  ...reactionMutations,
  ...pinMutations,
  ...readStateMutations,
  ...typingMutations,
  ...callMutations,
  ...blockMutations,
  ...muteMutations,
  ...presenceMutations,
};
