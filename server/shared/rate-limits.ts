/**
 * Rate limits of the expensive routes (config.rateLimit, per client address, 429 with
 * Retry-After past them). Two tiers from EXPENSIVE_RATE_PER_MINUTE: `expensive` for imports,
 * exports, siting and the planning checks that run for seconds; `interactive` (four times as
 * many) for the analyses the maps ask for as the user moves and filters.
 */
export type RateTier = 'expensive' | 'interactive';

export interface RateLimitConfig {
  max: number;
  timeWindow: number;
}

export function rateLimit(expensivePerMinute: number, tier: RateTier = 'expensive'): RateLimitConfig {
  return { max: tier === 'expensive' ? expensivePerMinute : expensivePerMinute * 4, timeWindow: 60_000 };
}

/**
 * Failed credential attempts per client address in a one-minute window (personal access tokens:
 * a wrong, revoked or expired token). Past `maxPerMinute` failures, every request carrying a
 * token from that address is refused with 429 until the window ends, so that tokens cannot be
 * guessed or probed at speed. In memory: one process serves the app.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly maxPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the address may try again, or 0 when it may now. */
  retryAfterSeconds(key: string): number {
    const window = this.current(key);
    if (!window || window.failures < this.maxPerMinute) return 0;
    return Math.max(1, Math.ceil((window.start + 60_000 - this.now()) / 1000));
  }

  recordFailure(key: string): void {
    const window = this.current(key);
    if (window) window.failures += 1;
    else this.windows.set(key, { start: this.now(), failures: 1 });
    if (this.windows.size > 10_000) this.prune();
  }

  private current(key: string) {
    const window = this.windows.get(key);
    if (window && this.now() - window.start >= 60_000) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private prune() {
    for (const key of [...this.windows.keys()]) this.current(key);
  }
}
