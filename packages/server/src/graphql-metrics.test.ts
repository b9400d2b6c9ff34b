import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { appError } from '@letstalk/errors';
import { graphqlErrors, graphqlRequestDuration, INTERNAL_OPERATION_PREFIX } from '@letstalk/metrics';
import { graphqlMetricsPlugin } from './graphql-metrics.ts';

/** The request count of one label set (the histogram's `_count`). */
async function requests(operation: string, outcome: string): Promise<number> {
  const { values } = await graphqlRequestDuration.get();
  const count = values.find(
    (value) =>
      value.metricName === 'letstalk_graphql_request_duration_seconds_count' &&
      value.labels.operation === operation &&
      value.labels.outcome === outcome,
  );
  return count?.value ?? 0;
}

async function errorsWithCode(code: string): Promise<number> {
  return (await graphqlErrors.get()).values.find((value) => value.labels.code === code)?.value ?? 0;
}

describe('graphqlMetricsPlugin', () => {
  it('times each operation by name and outcome, and counts error codes', async () => {
    const server = new ApolloServer({
      typeDefs: 'type Query { ok: Boolean, refused: Boolean, broken: Boolean }',
      resolvers: {
        Query: {
          ok: () => true,
          refused: () => {
            throw appError('FORBIDDEN', 'No.');
          },
          broken: () => {
            throw appError('UNAVAILABLE', 'Down.');
          },
        },
      },
      plugins: [graphqlMetricsPlugin()],
    });
    await server.start();
    try {
      const before = {
        ok: await requests('MetricsOk', 'ok'),
        client: await requests('MetricsRefused', 'client_error'),
        server: await requests('MetricsBroken', 'server_error'),
        internal: await requests('internal', 'ok'),
        anonymous: await requests('anonymous', 'ok'),
        forbidden: await errorsWithCode('FORBIDDEN'),
        unavailable: await errorsWithCode('UNAVAILABLE'),
      };
      await server.executeOperation({ query: 'query MetricsOk { ok }' });
      await server.executeOperation({ query: 'query MetricsOk { ok }' });
      await server.executeOperation({ query: 'query MetricsRefused { refused }' });
      await server.executeOperation({ query: 'query MetricsBroken { broken refused }' });
      await server.executeOperation({ query: `query ${INTERNAL_OPERATION_PREFIX}abc { ok }` });
      await server.executeOperation({ query: '{ ok }' });
      expect({
        ok: await requests('MetricsOk', 'ok'),
        client: await requests('MetricsRefused', 'client_error'),
        server: await requests('MetricsBroken', 'server_error'),
        internal: await requests('internal', 'ok'),
        anonymous: await requests('anonymous', 'ok'),
        forbidden: await errorsWithCode('FORBIDDEN'),
        unavailable: await errorsWithCode('UNAVAILABLE'),
      }).toEqual({
        ok: before.ok + 2,
        client: before.client + 1,
        server: before.server + 1,
        internal: before.internal + 1,
        anonymous: before.anonymous + 1,
        forbidden: before.forbidden + 2,
        unavailable: before.unavailable + 1,
      });
    } finally {
      await server.stop();
    }
  });

  it('labels only resolved operations: junk names cannot push the SDK’s own out of their labels', async () => {
    const server = new ApolloServer({
      typeDefs: 'type Query { ok: Boolean }',
      resolvers: { Query: { ok: () => true } },
      plugins: [graphqlMetricsPlugin()],
    });
    await server.start();
    try {
      const before = {
        sendMessage: await requests('SendMessage', 'ok'),
        chats: await requests('Chats', 'ok'),
        invalid: await requests('invalid', 'client_error'),
        other: await requests('other', 'ok'),
      };
      // Right after a start: 150 names that resolve to no operation (an operationName the document does
      // not have, a document that does not parse), then 150 valid operations with names of their own.
      for (let index = 0; index < 150; index += 1) {
        await server.executeOperation({ query: 'query Real { ok }', operationName: `JunkName${index}` });
        await server.executeOperation({ query: `query JunkBroken${index} {`, operationName: `JunkBroken${index}` });
        await server.executeOperation({ query: `query JunkValid${index} { ok }` });
      }
      await server.executeOperation({ query: 'query SendMessage { ok }' });
      // As a subgraph sees it: the planner's fetch name.
      await server.executeOperation({ query: 'query Chats__message__0 { ok }' });
      expect({
        sendMessage: await requests('SendMessage', 'ok'),
        chats: await requests('Chats', 'ok'),
        invalid: await requests('invalid', 'client_error'),
        unresolvedJunk: await requests('JunkName0', 'client_error'),
        brokenJunk: await requests('JunkBroken0', 'client_error'),
      }).toEqual({
        sendMessage: before.sendMessage + 1,
        chats: before.chats + 1,
        invalid: before.invalid + 300,
        unresolvedJunk: 0,
        brokenJunk: 0,
      });
      // Valid names of other operations share what the SDK's leave of the cap; the rest are `other`.
      expect(await requests('JunkValid0', 'ok')).toBe(1);
      expect(await requests('JunkValid149', 'ok')).toBe(0);
      expect((await requests('other', 'ok')) - before.other).toBeGreaterThan(50);
    } finally {
      await server.stop();
    }
  });
});
