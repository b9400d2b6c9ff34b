import { expect } from 'vitest';

/** One sample of Prometheus's text format: `name{label="value",...} 42`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a `/metrics` body (comments skipped); label values unescaped. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = raw!.replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The metric families a `/metrics` body declares as gauges (`# TYPE name gauge`). */
const gaugesOf = (text: string) => new Set([...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((match) => match[1]!));

/**
 * Scrapes `/metrics` (200 expected) and parses it. `urls` may name several instances of one process,
 * comma-separated (the scaled stack): their samples are added up per name and labels, as `sum()` would over
 * instances, but gauges, of which the largest is kept (a process's start time, a connection that is up).
 */
export async function scrape(urls: string): Promise<Sample[]> {
  const bodies = await Promise.all(
    urls.split(',').map(async (url) => {
      const response = await fetch(url);
      const body = await response.text();
      expect(response.status, `${url} answered ${response.status}: ${body.slice(0, 200)}`).toBe(200);
      return body;
    }),
  );
  if (bodies.length === 1) return parseMetrics(bodies[0]!);
  const gauges = gaugesOf(bodies.join('\n'));
  const merged = new Map<string, Sample>();
  for (const sample of bodies.flatMap(parseMetrics)) {
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...sample });
    else seen.value = gauges.has(sample.name) ? Math.max(seen.value, sample.value) : seen.value + sample.value;
  }
  return [...merged.values()];
}

/** Labels a sample must have: a value, or a pattern its value matches. */
export type LabelMatch = Record<string, string | RegExp>;

const matches = (sample: Sample, name: string, labels: LabelMatch) =>
  sample.name === name &&
  Object.entries(labels).every(([key, wanted]) => {
    const value = sample.labels[key];
    return value !== undefined && (typeof wanted === 'string' ? value === wanted : wanted.test(value));
  });

/** The samples named `name` with `labels`. */
export const series = (samples: Sample[], name: string, labels: LabelMatch = {}) =>
  samples.filter((sample) => matches(sample, name, labels));

/** The sum of the samples named `name` with `labels` (0 when there is none). */
export const total = (samples: Sample[], name: string, labels: LabelMatch = {}) =>
  series(samples, name, labels).reduce((sum, sample) => sum + sample.value, 0);
