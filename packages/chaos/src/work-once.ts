import type { TargetName } from './options.ts';
import type { ChaosSession, FaultWindow } from './session.ts';
import { imagesAnnouncedTwice } from './stored-state.ts';

/** Examples kept for the report. */
const EXAMPLES = 5;

/**
 * Faults after which an event may be handled again (redelivered: the handler died, stalled past the ack wait,
 * or could not commit), so a page or a page's image fetched twice is by design: the preview worker fetches a
 * link under its row's claim, and a redelivery of the same event takes the claim again; the media worker
 * fetches a page's image until its row exists.
 */
const REDELIVERING: ReadonlySet<TargetName> = new Set(['preview-worker', 'media-worker', 'nats', 'mariadb']);

/** Work done twice where it matters, counted from the start of the run. */
export interface WorkDoneTwice {
  /** Links answered whose page was fetched at all (beside the links sent, it shows the count works). */
  pagesFetched: number;
  /** Link pages, and the pages' `og:image`s, fetched more than once. */
  refetchedPages: number;
  refetchedImages: number;
  /** Of those, fetched again with no fault that redelivers events between the first fetch and the last. */
  unexplainedRefetches: number;
  /** Images whose end (READY or FAILED) was announced more than once: only the first finish may count. */
  imagesFinishedTwice: number;
}

/** Whether a fault that redelivers events overlapped `[first, last]`. */
const explained = (windows: readonly FaultWindow[], first: number, last: number) =>
  windows.some((window) => REDELIVERING.has(window.target) && window.from <= last && window.to >= first);

/**
 * Each link fetched once, and its page's image once, unless a fault that redelivers events came between the
 * first fetch and the last (then the refetch is counted, not failed); `fetchesOf` says when a URL was fetched.
 */
export function countRefetches(
  links: readonly string[],
  fetchesOf: (url: string) => number[],
  windows: readonly FaultWindow[],
  examples: string[],
): Omit<WorkDoneTwice, 'imagesFinishedTwice'> {
  const result = { pagesFetched: 0, refetchedPages: 0, refetchedImages: 0, unexplainedRefetches: 0 };
  for (const link of links) {
    const page = new URL(link);
    const image = new URL(`/image.png${page.search}`, page);
    for (const [what, url] of [
      ['page', page],
      ['image', image],
    ] as const) {
      const times = fetchesOf(url.href);
      if (what === 'page' && times.length > 0) result.pagesFetched += 1;
      if (times.length < 2) continue;
      result[what === 'page' ? 'refetchedPages' : 'refetchedImages'] += 1;
      if (explained(windows, times[0]!, times.at(-1)!)) continue;
      result.unexplainedRefetches += 1;
      if (examples.length < EXAMPLES) {
        const at = times.map((time) => new Date(time).toISOString().slice(11, 23)).join(', ');
        examples.push(
          `${what} fetched ${times.length} times with no redelivering fault: ${url.pathname}${url.search} at ${at}`,
        );
      }
    }
  }
  return result;
}

/**
 * Work done once where it matters: the links answered before `before` fetched once ({@link countRefetches}),
 * every image finished once.
 */
export async function checkWorkDoneOnce(
  session: ChaosSession,
  before: number,
  examples: string[],
): Promise<WorkDoneTwice> {
  const links = session.load.sends.flatMap((send) =>
    send.link && send.answeredAt !== undefined && send.answeredAt <= before ? [send.link] : [],
  );
  const refetches = countRefetches(links, session.web.fetchesOf, session.faultWindows, examples);
  const twice = await imagesAnnouncedTwice(session.stack);
  if (twice.length > 0) examples.push(`images finished more than once: ${twice.slice(0, EXAMPLES).join(', ')}`);
  return { ...refetches, imagesFinishedTwice: twice.length };
}
