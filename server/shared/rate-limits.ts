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
