import { appError } from '@letstalk/errors';
import { rateLimitRefusals } from '@letstalk/metrics';
import type { RateLimiter } from '@letstalk/server';
import type { MediaDb } from '../data/tables.ts';
import { storedBytes } from '../data/image-repository.ts';

/** The day's quota is counted in KiB: rate-limiter-flexible keeps points in a 32-bit column. */
const KIB = 1024;
const DAY_SECONDS = 24 * 60 * 60;
const UNITS = [
  ['GiB', 1024 ** 3],
  ['MiB', 1024 ** 2],
] as const;

const inUnits = (bytes: number) => {
  const [unit, scale] = UNITS.find(([, scale]) => bytes >= scale) ?? ['KiB', KIB];
  return `${Number((bytes / scale).toFixed(1))} ${unit}`;
};
const inAbout = (seconds: number) =>
  seconds >= 3600 ? `${Math.round(seconds / 3600)} h` : `${Math.max(1, Math.round(seconds / 60))} min`;

/** The options of the day's limiter, which counts KiB uploaded per person in 24 hours. */
export const dailyLimiterOptions = (bytesPerDay: number) => ({
  keyPrefix: 'upload-bytes',
  points: Math.floor(bytesPerDay / KIB),
  durationSeconds: DAY_SECONDS,
});

/**
 * What one person may upload: bytes per 24 hours (counted in the media database by rate-limiter-flexible,
 * so every instance shares the count) and bytes stored at once (the uploads of theirs not deleted). Past the
 * first, uploads are RATE_LIMITED until the day's window ends; past the second, PAYLOAD_TOO_LARGE until
 * they delete something (waiting does not help).
 */
export class UploadQuota {
  constructor(
    private readonly daily: RateLimiter,
    readonly limits: { bytesPerDay: number; bytesStored: number },
  ) {}

  private dayUsedUp(retryAfterMs: number, fileBytes?: number) {
    rateLimitRefusals.inc({ limit: dailyLimiterOptions(0).keyPrefix });
    const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    const what =
      fileBytes === undefined
        ? 'You have used it up'
        : `This file (${inUnits(fileBytes)}) is more than what is left of it`;
    return appError(
      'RATE_LIMITED',
      `You may upload ${inUnits(this.limits.bytesPerDay)} a day. ${what}: try again in about ${inAbout(retryAfterSeconds)}.`,
      {
        retryAfterSeconds,
        limitBytes: this.limits.bytesPerDay,
      },
    );
  }

  /** The error for an upload that would take its owner past their stored bytes. */
  storedQuotaExceeded(stored: number) {
    return appError(
      'PAYLOAD_TOO_LARGE',
      `Your uploads take ${inUnits(stored)} of the ${inUnits(this.limits.bytesStored)} you may keep. Delete messages with images or files you no longer need to upload more.`,
      { limitBytes: this.limits.bytesStored, storedBytes: stored },
    );
  }

  /** Refuses before a byte is read when the day's quota or the stored quota is used up already. */
  async checkRoom(db: MediaDb, ownerId: string): Promise<void> {
    const today = await this.daily.get(ownerId);
    if (today && today.consumedPoints >= this.daily.points) throw this.dayUsedUp(today.msBeforeNext);
    const stored = await storedBytes(db, ownerId);
    if (stored >= this.limits.bytesStored) throw this.storedQuotaExceeded(stored);
  }

  /**
   * Counts `bytes` against the owner's day, or throws RATE_LIMITED (counting nothing) when they do not fit.
   * Returns what gives them back, for an upload that is refused or fails afterwards.
   */
  async takeForToday(ownerId: string, bytes: number): Promise<() => Promise<void>> {
    const points = Math.ceil(bytes / KIB);
    try {
      await this.daily.consume(ownerId, points);
    } catch (rejection) {
      if (rejection instanceof Error) throw rejection;
      // rate-limiter-flexible counts a refused consumption too: give it back, so what is left stays usable.
      await this.daily.reward(ownerId, points);
      throw this.dayUsedUp((rejection as { msBeforeNext: number }).msBeforeNext, bytes);
    }
    return async () => {
      await this.daily.reward(ownerId, points);
    };
  }
}
