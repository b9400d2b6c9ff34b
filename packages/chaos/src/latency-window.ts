/** Send→receive latencies gathered since the window was last taken. */
export class LatencyWindow {
  private samples: number[] = [];

  add(milliseconds: number): void {
    this.samples.push(milliseconds);
  }

  /** The window's count, median and 99th percentile (ms), and a new window begins. */
  take(): { count: number; p50: number; p99: number } {
    const samples = this.samples.sort((a, b) => a - b);
    this.samples = [];
    const at = (quantile: number) => samples[Math.min(samples.length - 1, Math.floor(quantile * samples.length))] ?? 0;
    return { count: samples.length, p50: at(0.5), p99: at(0.99) };
  }
}
