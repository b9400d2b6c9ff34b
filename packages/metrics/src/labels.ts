/** The value a capped label takes for anything it does not keep. */
export const OTHER_LABEL = 'other';

/**
 * Keeps a label's values few: a value is kept when it matches `pattern` and fewer than `max` distinct values
 * were kept before (first come, first kept), else it becomes {@link OTHER_LABEL}. For values clients choose
 * (operation names), so that a client cannot make a process hold or export any number of series.
 */
export class LabelCap {
  private readonly kept = new Set<string>();

  constructor(private readonly options: { pattern: RegExp; max: number }) {}

  of(value: string): string {
    if (this.kept.has(value)) return value;
    if (this.kept.size >= this.options.max || !this.options.pattern.test(value)) return OTHER_LABEL;
    this.kept.add(value);
    return value;
  }
}

/** Operation names kept apart in the request metrics of one process; later names count as `other`. */
export const MAX_OPERATION_LABELS = 100;

/**
 * Names the gateway gives the queries it builds itself (live payloads, membership checks); with a random
 * suffix per process, so they are counted as `internal`.
 */
export const INTERNAL_OPERATION_PREFIX = 'LetsTalkInternal_';

/** The query planner names a subgraph fetch `<operation>__<subgraph>__<fetch index>`. */
const SUBGRAPH_FETCH_SUFFIX = /__[A-Za-z0-9_]+?__\d+$/;

/**
 * The operation label of a request: `anonymous` without a name, `internal` for the gateway's own queries,
 * the client's operation name for a subgraph fetch the gateway planned from it, and otherwise the name
 * when it looks like one (a letter, then up to 63 letters, digits or `_`) and `cap` still has room.
 */
export function operationLabel(name: string | null | undefined, cap: LabelCap): string {
  if (!name) return 'anonymous';
  if (name.startsWith(INTERNAL_OPERATION_PREFIX)) return 'internal';
  return cap.of(name.replace(SUBGRAPH_FETCH_SUFFIX, ''));
}

/** A cap for operation names (see {@link operationLabel}). */
export const operationNameCap = () =>
  new LabelCap({ pattern: /^[A-Za-z][A-Za-z0-9_]{0,63}$/, max: MAX_OPERATION_LABELS });
