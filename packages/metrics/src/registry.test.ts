import { afterEach, describe, expect, it, vi } from 'vitest';
import { metricsText, onScrape } from './registry.ts';

/** `letstalk_metrics_collection_failures_total` of one collector and reason, from a scrape's text. */
function failures(body: string, collector: string, reason: string): number {
  const line = body
    .split('\n')
    .find((row) =>
      row.startsWith(`letstalk_metrics_collection_failures_total{collector="${collector}",reason="${reason}"} `),
    );
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  vi.useRealTimers();
});

describe('scrape-time readings', () => {
  it('skips a reading still running from an earlier scrape instead of starting it again, and counts it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    let started = 0;
    let finish: () => void = () => undefined;
    stops.push(
      onScrape(() => {
        started += 1;
        return new Promise<void>((resolve) => (finish = resolve));
      }, 'stuck'),
    );

    // The first scrape starts the reading and answers after 2 s without it.
    const first = metricsText();
    await vi.advanceTimersByTimeAsync(2_000);
    const firstBody = (await first).body;
    expect(started).toBe(1);

    // The next scrapes find it still running: not started again, answered at once, counted as skipped.
    for (let scrape = 1; scrape <= 3; scrape += 1) {
      const pending = metricsText();
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toBe(1);
      const { body } = await pending;
      expect(failures(body, 'stuck', 'skipped')).toBe(scrape);
    }
    expect(failures(firstBody, 'stuck', 'timeout')).toBe(1);
    expect(failures(firstBody, 'stuck', 'skipped')).toBe(0);

    // Once it has settled, the next scrape starts it again.
    finish();
    await vi.advanceTimersByTimeAsync(0);
    const again = metricsText();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toBe(2);
    finish();
    const { body } = await again;
    expect(failures(body, 'stuck', 'timeout')).toBe(1);
    expect(failures(body, 'stuck', 'skipped')).toBe(3);
  });

  it('a scrape that comes while a reading of another scrape is within its time waits for that reading', async () => {
    let started = 0;
    let finish: () => void = () => undefined;
    stops.push(
      onScrape(() => {
        started += 1;
        return new Promise<void>((resolve) => (finish = resolve));
      }, 'shared'),
    );
    const [first, second] = [metricsText(), metricsText()];
    await new Promise((resolve) => setTimeout(resolve, 10));
    finish();
    const bodies = [(await first).body, (await second).body];
    expect(started).toBe(1);
    for (const body of bodies) {
      expect(['error', 'timeout', 'skipped'].map((reason) => failures(body, 'shared', reason))).toEqual([0, 0, 0]);
    }
  });

  it('counts a reading that fails', async () => {
    stops.push(
      onScrape(() => {
        throw new Error('broken');
      }, 'broken'),
    );
    await metricsText();
    expect(failures((await metricsText()).body, 'broken', 'error')).toBe(2);
  });
});
