import { randomUUID } from 'node:crypto';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';

export type { Logger };

/** Header that carries the request id from the gateway to the subgraphs. */
export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * How a logger is made: a level and whether lines are made readable, or a service's validated environment
 * (`LOG_LEVEL`, and readable lines when `NODE_ENV` is development, machine-readable JSON otherwise).
 */
export type LoggerOptions =
  | { service: string; level: string; pretty: boolean }
  | { service: string; env: { NODE_ENV: string; LOG_LEVEL: string } };

/** A pino logger: JSON lines in production and under test, readable lines in development. */
export function createLogger(options: LoggerOptions): Logger {
  const { level, pretty } =
    'env' in options ? { level: options.env.LOG_LEVEL, pretty: options.env.NODE_ENV === 'development' } : options;
  return pino({
    name: options.service,
    level,
    base: { service: options.service },
    mixin: traceFields,
    redact: {
      paths: ['req.headers.authorization', '*.accessToken', '*.refreshToken', '*.idToken', '*.code'],
      censor: '[redacted]',
    },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, ignore: 'pid,hostname,service', translateTime: 'HH:MM:ss.l' },
          },
        }
      : {}),
  });
}

/**
 * The trace and span of the active span, on every line written inside one (`trace_id`, `span_id`, as
 * OpenTelemetry's own pino instrumentation names them), so a log line leads to its trace. Without tracing
 * (no span is ever active) this is one lookup that finds nothing. A new object each time: pino merges
 * the line's own fields into it.
 */
function traceFields(): object {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/** The incoming request id when it is well-formed, else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID_PATTERN.test(value) ? value : randomUUID();
}
