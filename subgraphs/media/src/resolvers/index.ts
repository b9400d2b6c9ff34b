// Entity stubs until uploads exist: no image resolves and nobody has an avatar yet.
export const resolvers = {
  Image: { __resolveReference: () => null },
  User: { avatar: () => null },
};
