import { describe, expect, it } from 'vitest';
import { lookAgain } from './wait.ts';

describe('lookAgain', () => {
  it('answers true as soon as the check does, and false once the time is up', async () => {
    let calls = 0;
    expect(await lookAgain(async () => ++calls === 3, 5_000)).toBe(true);
    expect(calls).toBe(3);
    let tries = 0;
    expect(await lookAgain(async () => (tries += 1) < 0, 150)).toBe(false);
    expect(tries).toBeGreaterThanOrEqual(2);
  });
});
