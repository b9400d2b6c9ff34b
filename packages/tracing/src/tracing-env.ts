/** What tracing reads of a process's validated environment (see `commonEnv` in `@letstalk/config`). */
export interface TracingEnv {
  /** The collector; unset, tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  /** Extra headers for the collector (`key=value,key2=value2`), e.g. its credentials. */
  OTEL_EXPORTER_OTLP_HEADERS?: string | undefined;
  /** Overrides the process's own name as `service.name`. */
  OTEL_SERVICE_NAME?: string | undefined;
  /** The share of traces recorded, 0 to 1 (default 1). */
  OTEL_TRACES_SAMPLER_ARG?: number | undefined;
  /** Milliseconds between two exports of the spans ended meanwhile (default 5000). */
  OTEL_BSP_SCHEDULE_DELAY?: number | undefined;
}
