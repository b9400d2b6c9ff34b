import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';

export type { Logger };

/** Header that carries the request id from the gateway to the subgraphs. */
export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * A pino logger: JSON lines in production, readable lines in development.
 * `pretty` is off under test and production so the output stays machine-readable.
 */
export function createLogger(options: { service: string; level: string; pretty: boolean }): Logger {
  return pino({
    name: options.service,
    level: options.level,
    base: { service: options.service },
    redact: {
      paths: ['req.headers.authorization', '*.accessToken', '*.refreshToken', '*.idToken', '*.code'],
      censor: '[redacted]',
    },
    ...(options.pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, ignore: 'pid,hostname,service', translateTime: 'HH:MM:ss.l' },
          },
        }
      : {}),
  });
}

/** The incoming request id when it is well-formed, else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID_PATTERN.test(value) ? value : randomUUID();
}
