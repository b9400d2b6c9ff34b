let on = false;

/**
 * Whether this process records spans (a collector is configured and {@link startTracing} ran). Off, the
 * helpers of this package run the code they wrap and nothing else: hot paths check this first.
 */
export const isTracing = (): boolean => on;

export function setTracing(value: boolean): void {
  on = value;
}
