// Entity stub until link previews exist.
export const resolvers = {
  Message: { linkPreview: () => null },
};
