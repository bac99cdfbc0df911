import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  IsolatedCircuitError,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from "cockatiel";
import { TokenBucket } from "limiter";
import { rateLimited } from "../../errors";
import {
  RemoteCallError,
  RemoteRateLimitedError,
  circuitOpen,
  secondsUntil,
  waitingForRetryAfter,
} from "./remote-errors";

export interface BreakerSettings {
  /** Consecutive failures (5xx, timeouts, network errors, bad answers) that open the circuit. */
  failures: number;
  /** How long an open circuit refuses calls before one trial call goes through. */
  halfOpenAfterMs: number;
}

export const defaultBreakerSettings: BreakerSettings = { failures: 5, halfOpenAfterMs: 30_000 };

export interface RateLimitSettings {
  perMinute: number | null;
  perHour: number | null;
}

export type CircuitName = "CLOSED" | "OPEN" | "HALF_OPEN";

/**
 * What stands between requests and one remote endpoint, in this order: the endpoint's own 429
 * Retry-After (no call until then), the circuit breaker (cockatiel; open → no call), the token
 * buckets (limiter; perMinute within perHour), then the call. Only RemoteCallErrors that say the
 * endpoint is unwell count as breaker failures: a 4xx, a 429, or the caller's own abort do not.
 * Per gateway replica: each replica keeps its own buckets and breaker.
 */
export class RemoteGuard {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bucket: TokenBucket | null;
  private openedAt = 0;
  private retryUntil = 0;

  constructor(
    private readonly host: string,
    rates: RateLimitSettings,
    private readonly settings: BreakerSettings = defaultBreakerSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof RemoteCallError && error.tripsBreaker),
      { halfOpenAfter: settings.halfOpenAfterMs, breaker: new ConsecutiveBreaker(settings.failures) },
    );
    this.breaker.onBreak(() => (this.openedAt = this.now()));
    const hour = rates.perHour ? fullBucket(rates.perHour, "hour") : undefined;
    this.bucket = rates.perMinute ? fullBucket(rates.perMinute, "minute", hour) : (hour ?? null);
  }

  get circuit(): CircuitName {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return "CLOSED";
      case CircuitState.HalfOpen:
        return "HALF_OPEN";
      default:
        return "OPEN";
    }
  }

  /** Until when a 429 asked us to wait; null once that has passed. */
  get retryAfter(): Date | null {
    return this.retryUntil > this.now() ? new Date(this.retryUntil) : null;
  }

  async call<T>(fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.retryUntil > this.now()) throw waitingForRetryAfter(this.host, new Date(this.retryUntil));
    // Checked before the buckets, so that calls refused by an open circuit spend no tokens.
    const reopensAt = this.openedAt + this.settings.halfOpenAfterMs;
    if (this.breaker.state === CircuitState.Open && this.now() < reopensAt) {
      throw circuitOpen(this.host, secondsUntil(reopensAt, this.now()));
    }
    if (this.bucket && !this.bucket.tryRemoveTokens(1)) {
      throw rateLimited(`The rate limit of ${this.host} is spent`, this.secondsToNextToken());
    }
    try {
      return await this.breaker.execute((context) => fn(context.signal), signal);
    } catch (error) {
      if (error instanceof RemoteRateLimitedError) this.retryUntil = Math.max(this.retryUntil, +error.until);
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        throw circuitOpen(this.host, secondsUntil(reopensAt, this.now()));
      }
      throw error;
    }
  }

  /** The wait for one token in the emptiest bucket (the hour bucket refills slower). */
  private secondsToNextToken(): number {
    let waitMs = 0;
    for (let bucket = this.bucket ?? undefined; bucket; bucket = bucket.parentBucket) {
      if (bucket.content < 1)
        waitMs = Math.max(waitMs, ((1 - bucket.content) * bucket.interval) / bucket.tokensPerInterval);
    }
    return Math.max(1, Math.ceil(waitMs / 1000));
  }
}

/** limiter's buckets start empty; an endpoint's budget is there from the first call. */
function fullBucket(
  perInterval: number,
  interval: "minute" | "hour",
  parentBucket?: TokenBucket,
): TokenBucket {
  const bucket = new TokenBucket({
    bucketSize: perInterval,
    tokensPerInterval: perInterval,
    interval,
    parentBucket,
  });
  bucket.content = perInterval;
  return bucket;
}
