import { GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from '@letstalk/errors';

function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw badUserInput('Expected an ISO-8601 date-time.');
  return date;
}

/** `DateTime`: ISO-8601 in UTC on the wire, `Date` in resolvers. */
export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 date and time in UTC.',
  serialize: (value) => toDate(value).toISOString(),
  parseValue: toDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badUserInput('Expected an ISO-8601 date-time string.');
    return toDate(ast.value);
  },
});
