import { describe, expect, it } from 'vitest';
import { countRefetches } from './work-once.ts';

const link = (run: number) => `http://127.0.0.1:8080/og?run=${run}`;

describe('counting pages fetched again', () => {
  it('counts a refetch that a redelivering fault explains, and fails one that nothing explains', () => {
    const fetches = new Map<string, number[]>([
      [link(1), [100]],
      [`http://127.0.0.1:8080/image.png?run=1`, [150]],
      // Fetched before the preview worker was killed, and again when its event came back.
      [link(2), [900, 1_400]],
      // Fetched twice while only a gateway was down: no event was redelivered.
      [link(3), [2_100, 2_200]],
    ]);
    const examples: string[] = [];

    const counts = countRefetches(
      [link(1), link(2), link(3), link(4)],
      (url) => fetches.get(url) ?? [],
      [
        { target: 'preview-worker', from: 1_000, to: 1_500 },
        { target: 'gateway-a', from: 2_000, to: 2_500 },
      ],
      examples,
    );

    expect(counts).toEqual({ pagesFetched: 3, refetchedPages: 2, refetchedImages: 0, unexplainedRefetches: 1 });
    expect(examples).toHaveLength(1);
    expect(examples[0]).toContain('/og?run=3');
  });
});
