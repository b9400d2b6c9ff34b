/**
 * Lets a consumer handle several events at once while what they publish goes out in the order they came: each
 * call's `work` starts at once, and its `publish` runs when the calls before it have published (or failed). A
 * failed `work` fails its call, and the calls after it go on; the event is delivered again later, as out of order
 * as a redelivery is anyway (the gateways put a chat's messages back in sequence from its history).
 */
export function publishingInOrder(): <Value>(work: Promise<Value>, publish: (value: Value) => void) => Promise<void> {
  let previous: Promise<unknown> = Promise.resolve();
  return (work, publish) => {
    // Handled below, after the calls before it: marked handled now, so an early failure is not "unhandled".
    work.catch(() => undefined);
    const step = previous.then(() => work).then(publish);
    previous = step.catch(() => undefined);
    return step;
  };
}
