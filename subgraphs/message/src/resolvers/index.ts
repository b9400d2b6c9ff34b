import { DateTime } from '@letstalk/server';
import { Call } from './Call.ts';
import { Chat } from './Chat.ts';
import { Message } from './Message.ts';
import { Mutation } from './Mutation.ts';
import { Query } from './Query.ts';
import { Presence, User } from './presence.ts';
import { Reaction } from './Reaction.ts';

export const resolvers = { DateTime, Query, Mutation, Chat, Message, Reaction, Call, Presence, User };
