import { describe, expect, it } from 'vitest';
import { publishingInOrder } from './in-order.ts';

/** A promise settled from outside, to finish work in a chosen order. */
function later<Value>() {
  let resolve!: (value: Value) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<Value>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

describe('publishingInOrder', () => {
  it('publishes in the order of the calls, whatever order their work finishes in', async () => {
    const inOrder = publishingInOrder();
    const published: string[] = [];
    const works = ['a', 'b', 'c'].map(() => later<string>());
    const calls = works.map((work) => inOrder(work.promise, (value) => published.push(value)));
    works[2]!.resolve('c');
    works[1]!.resolve('b');
    await new Promise((wait) => setTimeout(wait, 10));
    expect(published).toEqual([]);
    works[0]!.resolve('a');
    await Promise.all(calls);
    expect(published).toEqual(['a', 'b', 'c']);
  });

  it('a failed call fails alone, and the ones after it wait for the ones before it', async () => {
    const inOrder = publishingInOrder();
    const published: string[] = [];
    const [first, failing, last] = [later<string>(), later<string>(), later<string>()];
    const calls = [first, failing, last].map((work) => inOrder(work.promise, (value) => published.push(value)));
    failing.reject(new Error('database away'));
    last.resolve('c');
    await new Promise((wait) => setTimeout(wait, 10));
    expect(published).toEqual([]);
    first.resolve('a');
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(published).toEqual(['a', 'c']);
  });

  it('a publish that throws fails its call only', async () => {
    const inOrder = publishingInOrder();
    const published: string[] = [];
    const failing = inOrder(Promise.resolve('a'), () => {
      throw new Error('not connected');
    });
    const next = inOrder(Promise.resolve('b'), (value) => published.push(value));
    await expect(failing).rejects.toThrow('not connected');
    await next;
    expect(published).toEqual(['b']);
  });
});
