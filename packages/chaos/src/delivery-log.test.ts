import { describe, expect, it } from 'vitest';
import { DeliveryLog } from './delivery-log.ts';

describe('a delivery log', () => {
  it('counts what never arrived, what arrived twice and what arrived late', () => {
    const log = new DeliveryLog();
    for (const seq of [1, 2, 4, 4, 3, 6]) log.receive(seq);

    expect(log.received).toBe(6);
    expect(log.duplicates).toBe(1);
    expect(log.outOfOrder).toBe(1);
    expect(log.lastSeq).toBe(6);
    expect(log.missing([1, 2, 3, 4, 5, 6, 7])).toEqual([5, 7]);
  });

  it('says when it first had a seq or a later one', () => {
    const log = new DeliveryLog();
    log.receive(1, 100);
    log.receive(3, 300);
    log.receive(2, 350);
    log.receive(3, 400);

    expect(log.reachedAt(1)).toBe(100);
    expect(log.reachedAt(2)).toBe(300);
    expect(log.reachedAt(3)).toBe(300);
    expect(log.reachedAt(4)).toBeUndefined();
  });

  it('grows with the chat', () => {
    const log = new DeliveryLog();
    for (let seq = 1; seq <= 5000; seq += 1) log.receive(seq);

    expect(log.missing(Array.from({ length: 5000 }, (_, index) => index + 1))).toEqual([]);
    expect(log.duplicates).toBe(0);
  });
});
