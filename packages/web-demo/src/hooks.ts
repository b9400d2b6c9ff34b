import { useSyncExternalStore } from 'preact/compat';

/** Anything with the shape `useSyncExternalStore` takes: the SDK's session, live connection and chat store. */
export interface External<Snapshot> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): Snapshot;
}

/** Renders again whenever `source` changes (the SDK's objects keep their snapshots stable between changes). */
export function useExternal<Snapshot>(source: External<Snapshot>): Snapshot {
  return useSyncExternalStore(
    (listener) => source.subscribe(listener),
    () => source.getSnapshot(),
  );
}

/** A short human message for a failed request. */
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** "14:05" for today's times, "3 Mar 14:05" for older ones. */
export function timeOf(iso: string): string {
  const date = new Date(iso);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return date.toDateString() === new Date().toDateString()
    ? time
    : `${date.toLocaleDateString([], { day: 'numeric', month: 'short' })} ${time}`;
}
