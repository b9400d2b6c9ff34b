import { MessagesDocument, type MessagesQuery, type MessagesQueryVariables, type Session } from '@letstalk/sdk';

type Request = Session['request'];

/**
 * Works around the SDK's `loadHistory`, which reads `messages(last, before)`: the API lists messages newest
 * first, so `last`/`before` pages towards newer messages (the first call gets the oldest 50, and older pages
 * are never reached). This asks for `first`/`after` (towards older ones, from the same seq cursor) instead and
 * answers in the shape the store expects (`hasPreviousPage`: older messages remain).
 */
export function withOlderHistory(request: Request): Request {
  const messages = async (variables: MessagesQueryVariables): Promise<MessagesQuery> => {
    const { last, before, ...rest } = variables;
    const result = await request(MessagesDocument, {
      ...rest,
      first: last,
      ...(before !== null && before !== undefined ? { after: before } : {}),
    });
    const page = result.messages;
    return { messages: { ...page, pageInfo: { ...page.pageInfo, hasPreviousPage: page.pageInfo.hasNextPage } } };
  };
  return ((document: unknown, ...variables: [Record<string, unknown>?]) => {
    const first = variables[0] as MessagesQueryVariables | undefined;
    if (document === MessagesDocument && first?.last !== undefined && first.last !== null) return messages(first);
    return (request as (document: unknown, ...rest: unknown[]) => Promise<unknown>)(document, ...variables);
  }) as Request;
}
