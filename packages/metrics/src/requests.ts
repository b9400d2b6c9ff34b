import { Counter, Histogram } from 'prom-client';
import { registry } from './registry.ts';

/** Request and fetch latencies, from a few milliseconds to the subgraph timeout's order. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * GraphQL operations a process executed (the gateway: from clients over HTTP and graphql-ws, and its own live
 * payload queries as `internal`; a subgraph: the fetches the gateway sent it), by operation name and outcome.
 * Its `_count` is the number of requests.
 */
export const graphqlRequestDuration = new Histogram({
  name: 'letstalk_graphql_request_duration_seconds',
  help: 'GraphQL operations executed, by operation name (capped) and outcome (ok, client_error, server_error), from request start to response.',
  labelNames: ['operation', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** Errors in GraphQL responses, by their `extensions.code` as the client sees it. */
export const graphqlErrors = new Counter({
  name: 'letstalk_graphql_errors_total',
  help: 'Errors in GraphQL responses, by extensions.code.',
  labelNames: ['code'] as const,
  registers: [registry],
});

/** The gateway's calls to its subgraphs (one per fetch of a query plan). */
export const subgraphFetchDuration = new Histogram({
  name: 'letstalk_gateway_subgraph_fetch_duration_seconds',
  help: 'Gateway fetches to subgraphs, by subgraph and outcome (ok: an answer without errors; error: errors or no answer).',
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** Requests refused by a rate limit, by the limit's name. */
export const rateLimitRefusals = new Counter({
  name: 'letstalk_rate_limit_refusals_total',
  help: 'Requests refused by a rate limit or quota (RATE_LIMITED), by limit name.',
  labelNames: ['limit'] as const,
  registers: [registry],
});
