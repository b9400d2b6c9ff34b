import { describe, expect, it } from 'vitest';
import { badUserInput, formatError, isServerErrorCode, rateLimited } from './index.ts';

describe('formatError', () => {
  it('passes registered codes with their message and drops stack traces', () => {
    const formatted = formatError(
      { message: 'Name too long.', extensions: { code: 'BAD_USER_INPUT', field: 'firstName', stacktrace: ['at x'] } },
      { exposeInternals: false },
    );
    expect(formatted).toEqual({
      message: 'Name too long.',
      extensions: { code: 'BAD_USER_INPUT', field: 'firstName' },
    });
  });

  it('masks anything else outside development and reports it', () => {
    const seen: unknown[] = [];
    const formatted = formatError(
      { message: 'ER_DUP_ENTRY: secret table detail', path: ['me'], extensions: { code: 'SOMETHING', stacktrace: [] } },
      { exposeInternals: false, onInternal: (error) => seen.push(error) },
    );
    expect(formatted).toEqual({
      message: 'Internal server error.',
      path: ['me'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(seen).toHaveLength(1);
  });

  it('shows the internal message in development, still without a stack trace', () => {
    const formatted = formatError({ message: 'boom', extensions: { stacktrace: ['at y'] } }, { exposeInternals: true });
    expect(formatted).toEqual({ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('builds typed errors with their extensions', () => {
    expect(badUserInput('Too long.', 'text').extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'text' });
    expect(rateLimited(0.2).extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
  });
});

describe('isServerErrorCode', () => {
  it('tells the server failing (5xx, or a code it would mask) from a refused request', () => {
    for (const code of ['INTERNAL_SERVER_ERROR', 'UNAVAILABLE', 'SOMETHING_UNREGISTERED', undefined, 42]) {
      expect(isServerErrorCode(code)).toBe(true);
    }
    for (const code of [
      'BAD_USER_INPUT',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'RATE_LIMITED',
      'GRAPHQL_VALIDATION_FAILED',
    ]) {
      expect(isServerErrorCode(code)).toBe(false);
    }
  });
});
