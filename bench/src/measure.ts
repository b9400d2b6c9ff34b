import autocannon from 'autocannon';
import { Agent, request } from 'undici';

/** Requests per second (mean) and latency of one POST body under `connections` concurrent clients. */
export async function throughput(options: {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}): Promise<{ rps: number; p99Ms: number; errors: number }> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body,
    connections: options.connections,
    duration: options.seconds,
  });
  return {
    rps: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** Runs `task` `count` times one after another and returns p50/p99 in milliseconds. */
export async function latencies(count: number, task: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = process.hrtime.bigint();
    await task();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (quantile: number) => samples[Math.min(samples.length - 1, Math.floor(quantile * samples.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Keep-alive connections for the benchmark's own requests (lighter than `fetch`, which would tax the machine). */
const agent = new Agent({ connections: 64, pipelining: 1 });

/** POSTs a GraphQL operation and fails loudly on any error, so a benchmark never times error pages. */
export async function graphql<Data>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const response = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.body.json()) as { data?: Data; errors?: unknown[] };
  if (response.statusCode !== 200 || body.errors)
    throw new Error(`${url}: ${JSON.stringify(body.errors ?? response.statusCode)}`);
  return body.data as Data;
}

/** Closes the benchmark's keep-alive connections. */
export const closeRequests = () => agent.close();

export const fixed = (value: number, digits = 1) => value.toFixed(digits).padStart(8);
