import { SDK_OPERATION_NAMES } from './sdk-operations.ts';

/** The value a capped label takes for anything it does not keep. */
export const OTHER_LABEL = 'other';

/**
 * Keeps a label's values few: a value is kept when it matches `pattern` and fewer than `max` distinct values
 * were kept before (first come, first kept), else it becomes {@link OTHER_LABEL}. For values clients choose
 * (operation names), so that a client cannot make a process hold or export any number of series. The
 * `reserved` values are always kept, and take their share of `max` from the start: others share the rest.
 */
export class LabelCap {
  private readonly kept = new Set<string>();
  private readonly reserved: ReadonlySet<string>;

  constructor(private readonly options: { pattern: RegExp; max: number; reserved?: readonly string[] }) {
    this.reserved = new Set(options.reserved);
  }

  of(value: string): string {
    if (this.reserved.has(value) || this.kept.has(value)) return value;
    if (this.reserved.size + this.kept.size >= this.options.max || !this.options.pattern.test(value)) {
      return OTHER_LABEL;
    }
    this.kept.add(value);
    return value;
  }
}

/** Operation labels of one process at most (the SDK's operations included); later names count as `other`. */
export const MAX_OPERATION_LABELS = 100;

/** The operation label of a request whose operation did not resolve (unparsable, invalid, not in the document). */
export const INVALID_OPERATION_LABEL = 'invalid';

/**
 * Names the gateway gives the queries it builds itself (live payloads, membership checks); with a random
 * suffix per process, so they are counted as `internal`.
 */
export const INTERNAL_OPERATION_PREFIX = 'LetsTalkInternal_';

/** The query planner names a subgraph fetch `<operation>__<subgraph>__<fetch index>`. */
const SUBGRAPH_FETCH_SUFFIX = /__[A-Za-z0-9_]+?__\d+$/;

/**
 * The operation label of a request whose operation resolved, from the name Apollo resolved in the validated
 * document (never the request's `operationName`, which a client can send with any document): `anonymous`
 * without a name, `internal` for the gateway's own queries, the client's operation name for a subgraph fetch
 * the gateway planned from it, and otherwise the name when `cap` keeps it: always for the SDK's own
 * operations, for others when it looks like a name (a letter, then up to 63 letters, digits or `_`) and
 * `cap` still has room.
 */
export function operationLabel(name: string | null | undefined, cap: LabelCap): string {
  if (!name) return 'anonymous';
  if (name.startsWith(INTERNAL_OPERATION_PREFIX)) return 'internal';
  return cap.of(name.replace(SUBGRAPH_FETCH_SUFFIX, ''));
}

/** A cap for operation names (see {@link operationLabel}): the SDK's operations, then others up to the limit. */
export const operationNameCap = () =>
  new LabelCap({
    pattern: /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
    max: MAX_OPERATION_LABELS,
    reserved: SDK_OPERATION_NAMES,
  });
