import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isPoisonEvent, isTransientError, PoisonEventError, TransientError } from './failures.ts';

const withCode = (message: string, code: string, extra: object = {}) =>
  Object.assign(new Error(message), { code, ...extra });
const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });

describe('isTransientError', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:3306', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['a deadlock victim', withCode('Deadlock found when trying to get lock', 'ER_LOCK_DEADLOCK')],
    [
      'a lost database connection',
      withCode('Connection lost: The server closed the connection.', 'PROTOCOL_CONNECTION_LOST'),
    ],
    ['a fatal mysql2 error without a code', Object.assign(new Error("Can't write in closed state"), { fatal: true })],
    ['a closed mysql2 pool', new Error('Pool is closed.')],
    ['NATS away', named('ConnectionError')],
    ['a NATS request timing out', named('TimeoutError')],
    ['no JetStream stream answering', named('NoResponders')],
    ['JetStream answering 503', named('JetStreamApiError', { status: 503 })],
    [
      'an S3 storage answering 503',
      Object.assign(new Error('Service Unavailable'), { $metadata: { httpStatusCode: 503 } }),
    ],
    [
      'an S3 error the SDK calls retryable',
      Object.assign(new Error('Slow Down'), { $retryable: { throttling: true } }),
    ],
    ['a failure its code calls transient', new TransientError('the subgraph answered 502')],
    [
      'a driver error wrapped (drizzle)',
      new Error('Failed query', { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') }),
    ],
    [
      'one of several connection attempts',
      new AggregateError([new Error('no'), withCode('connect ECONNREFUSED ::1', 'ECONNREFUSED')]),
    ],
  ])('%s is transient', (_, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['a plain error (a bug)', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a duplicate key', withCode("Duplicate entry '1' for key 'PRIMARY'", 'ER_DUP_ENTRY')],
    ['a missing table', withCode("Table 'letstalk_media.images' doesn't exist", 'ER_NO_SUCH_TABLE')],
    ['an S3 404', Object.assign(new Error('NotFound'), { $metadata: { httpStatusCode: 404 } })],
    ['JetStream refusing a request', named('JetStreamApiError', { status: 400 })],
    ['not an error at all', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('%s is not', (_, error) => {
    expect(isTransientError(error)).toBe(false);
  });

  it('follows a cycle of causes without looping', () => {
    const error = new Error('a') as Error & { cause?: unknown };
    error.cause = new Error('b', { cause: error });
    expect(isTransientError(error)).toBe(false);
  });
});

describe('isPoisonEvent', () => {
  it("is a handler's verdict or a failed validation, nothing else", () => {
    expect(isPoisonEvent(new PoisonEventError('never'))).toBe(true);
    expect(isPoisonEvent(z.object({ n: z.number() }).safeParse({ n: 'x' }).error)).toBe(true);
    expect(isPoisonEvent(new Error('a bug'))).toBe(false);
    expect(isPoisonEvent(withCode('down', 'ECONNREFUSED'))).toBe(false);
  });
});
