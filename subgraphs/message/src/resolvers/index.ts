// Entity stubs until chats and messages exist: no reference resolves yet.
export const resolvers = {
  Chat: { __resolveReference: () => null },
  Message: { __resolveReference: () => null },
};
