import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@letstalk/log';
import { formatSubgraphError } from './subgraph-errors.ts';

const log = createLogger({ service: 'test', level: 'silent', pretty: false });

/** What Apollo hands formatError for a resolver that threw `thrown`: the formatted error and the wrapping GraphQLError. */
function resolverFailure(thrown: Error) {
  const wrapped = new GraphQLError(thrown.message, { path: ['sendMessage'], originalError: thrown });
  const formatted = { message: thrown.message, path: ['sendMessage'], extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  return formatSubgraphError(formatted, wrapped, { exposeInternals: false, log });
}

describe('formatSubgraphError', () => {
  it('answers UNAVAILABLE, which clients retry, when the database is away', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    expect(resolverFailure(new Error('Failed query: select 1', { cause: refused }))).toEqual({
      message: expect.any(String),
      path: ['sendMessage'],
      extensions: { code: 'UNAVAILABLE' },
    });
  });

  it('masks any other failure as INTERNAL_SERVER_ERROR, with nothing of it shown', () => {
    expect(resolverFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toEqual({
      message: 'Internal server error.',
      path: ['sendMessage'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it("keeps a client error's code", () => {
    const formatted = { message: 'No.', extensions: { code: 'FORBIDDEN' } };
    expect(formatSubgraphError(formatted, new GraphQLError('No.'), { exposeInternals: false, log })).toEqual(formatted);
  });
});
