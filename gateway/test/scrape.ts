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

/** Scrapes `/metrics` (200 expected) and parses it. */
export async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(url);
  const body = await response.text();
  expect(response.status, `${url} answered ${response.status}: ${body.slice(0, 200)}`).toBe(200);
  return parseMetrics(body);
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
