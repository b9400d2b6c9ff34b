import { listenOnLoopback, sendJson } from './http.ts';

/** One span as an OpenTelemetry collector received it, flattened: the service that sent it, ids, name, attributes. */
export interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Empty for the root of a trace. */
  parentSpanId: string;
  name: string;
  /** OTLP's numbers: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  status: number;
}

/** An OTLP/HTTP collector for tests; see {@link startFakeCollector}. */
export interface FakeCollector {
  /** What `OTEL_EXPORTER_OTLP_ENDPOINT` is set to (spans are posted to `<url>/v1/traces`). */
  url: string;
  /** Every span received so far. */
  spans: () => CollectedSpan[];
  /** Waits (polling) until `found` holds for the spans received, or fails after `timeoutMs` saying `what`. */
  until: (found: (spans: CollectedSpan[]) => boolean, what: string, timeoutMs?: number) => Promise<CollectedSpan[]>;
  close: () => Promise<void>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpAttribute = { key: string; value: OtlpValue };
type OtlpExport = {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: OtlpAttribute[];
        status?: { code?: number };
      }[];
    }[];
  }[];
};

const valueOf = (value: OtlpValue): string | number | boolean =>
  value.stringValue ??
  (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
  value.boolValue ??
  value.doubleValue ??
  '';

const attributesOf = (list: OtlpAttribute[] = []) =>
  Object.fromEntries(list.map((attribute) => [attribute.key, valueOf(attribute.value)]));

/**
 * A stand-in for an OpenTelemetry collector on 127.0.0.1: it takes `POST /v1/traces` in OTLP's JSON encoding
 * (what `@opentelemetry/exporter-trace-otlp-http` sends) and keeps the spans for a test to read. Anything
 * else (another path, protobuf) is refused with 415, so a test cannot pass on data it did not decode.
 */
export async function startFakeCollector(): Promise<FakeCollector> {
  const received: CollectedSpan[] = [];
  const server = await listenOnLoopback((req, res, body) => {
    if (req.method !== 'POST' || req.url !== '/v1/traces' || !req.headers['content-type']?.includes('json')) {
      sendJson(res, 415, { error: 'POST /v1/traces with OTLP JSON only' });
      return;
    }
    const otlp = JSON.parse(body) as OtlpExport;
    for (const resourceSpans of otlp.resourceSpans ?? []) {
      const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '');
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          received.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind,
            attributes: attributesOf(span.attributes),
            status: span.status?.code ?? 0,
          });
        }
      }
    }
    sendJson(res, 200, {});
  });
  return {
    url: server.url,
    spans: () => [...received],
    until: async (found, what, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!found(received)) {
        if (Date.now() > deadline) {
          const seen = received.map((span) => `${span.service}: ${span.name}`);
          throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(seen)}`);
        }
        await new Promise((wait) => setTimeout(wait, 100));
      }
      return [...received];
    },
    close: server.close,
  };
}
