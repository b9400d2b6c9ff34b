import { DateTime } from '@letstalk/server';
import { Mutation } from './Mutation.ts';
import { notificationMutations, notificationQueries } from './notifications.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';

export const resolvers = {
  DateTime,
  Query: { ...Query, ...notificationQueries },
  Mutation: { ...Mutation, ...notificationMutations },
  User,
};
