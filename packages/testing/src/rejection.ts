/** What `promise` rejects with, checked to be a `Type`; throws (failing the test) when it resolves or rejects otherwise. */
export async function rejectionOf<Type>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => Type,
): Promise<Type> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: value }),
    (reason: unknown) => ({ rejected: reason }),
  );
  if ('resolved' in outcome)
    throw new Error(`expected a rejection, got ${JSON.stringify(outcome.resolved)?.slice(0, 200)}`);
  if (!(outcome.rejected instanceof type)) throw new Error(`expected a ${type.name}, got ${String(outcome.rejected)}`);
  return outcome.rejected;
}
