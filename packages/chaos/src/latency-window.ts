/** Count, median and 99th percentile (ms) of some latencies. */
export interface Latencies {
  count: number;
  p50: number;
  p99: number;
}

/** The count, median and 99th percentile of `samples` (sorted in place). */
export function latenciesOf(samples: number[]): Latencies {
  samples.sort((a, b) => a - b);
  const at = (quantile: number) => samples[Math.min(samples.length - 1, Math.floor(quantile * samples.length))] ?? 0;
  return { count: samples.length, p50: at(0.5), p99: at(0.99) };
}

/** Send→receive latencies gathered since the window was last taken. */
export class LatencyWindow {
  private samples: number[] = [];

  add(milliseconds: number): void {
    this.samples.push(milliseconds);
  }

  /** The window's latencies, and a new window begins. */
  take(): Latencies {
    const samples = this.samples;
    this.samples = [];
    return latenciesOf(samples);
  }
}
