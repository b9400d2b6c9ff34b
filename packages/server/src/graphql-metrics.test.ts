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
});
