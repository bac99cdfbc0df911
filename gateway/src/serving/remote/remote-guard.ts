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
 *
 * Half-open: one trial call, every other call refused (CIRCUIT_OPEN) until it ends. The trial
 * closes the circuit when it shows the endpoint answering — a good answer, and also a 4xx or a 429,
 * which are the endpoint's own replies (it is up; the 429's Retry-After still holds calls back).
 * Anything else reopens it: a failure, the caller's abort (a member deadline shorter than the
 * endpoint's silence proves nothing), or the address guard's refusal (FORBIDDEN). cockatiel on its
 * own would close the circuit on every error its policy does not handle; FailedTrial makes those
 * handled for the trial only. Per gateway replica: each replica keeps its own buckets and breaker.
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
    private readonly now: () => number = () => Date.now(),
  ) {
    this.breaker = circuitBreaker(
      handleWhen(
        (error) => error instanceof FailedTrial || (error instanceof RemoteCallError && error.tripsBreaker),
      ),
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

  /**
   * One call through the guard. `fn` gets the caller's own signal (not cockatiel's): nothing here
   * runs it without that signal.
   */
  async call<T>(fn: (signal: AbortSignal | undefined) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const now = this.now();
    if (this.retryUntil > now) throw waitingForRetryAfter(this.host, new Date(this.retryUntil));
    // Both checked before the buckets, so that refused calls spend no tokens. While the one trial
    // of a half-open circuit runs, every other call is refused: cockatiel would queue them behind
    // it and, once it closed, run them without their signals.
    const state = this.breaker.state;
    if (state === CircuitState.HalfOpen) {
      throw circuitOpen(this.host, secondsUntil(now + this.settings.halfOpenAfterMs, now));
    }
    const reopensAt = this.openedAt + this.settings.halfOpenAfterMs;
    if (state === CircuitState.Open && now < reopensAt)
      throw circuitOpen(this.host, secondsUntil(reopensAt, now));
    if (this.bucket && !this.bucket.tryRemoveTokens(1)) {
      throw rateLimited(`The rate limit of ${this.host} is spent`, this.secondsToNextToken());
    }
    // An open circuit past its wait: this call is the trial (cockatiel makes it so synchronously).
    const trial = state === CircuitState.Open;
    try {
      return await this.breaker.execute(async () => {
        try {
          return await fn(signal);
        } catch (error) {
          throw trial && !showsAlive(error) ? new FailedTrial(error) : error;
        }
      });
    } catch (error) {
      const cause = error instanceof FailedTrial ? error.cause : error;
      if (cause instanceof RemoteRateLimitedError) this.retryUntil = Math.max(this.retryUntil, +cause.until);
      if (cause instanceof BrokenCircuitError || cause instanceof IsolatedCircuitError) {
        throw circuitOpen(this.host, secondsUntil(Math.max(reopensAt, this.now()), this.now()));
      }
      throw cause;
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

/** The trial's failure, carried through cockatiel as a handled error; the caller gets `cause`. */
class FailedTrial extends Error {
  constructor(override readonly cause: unknown) {
    super("half-open trial failed");
  }
}

/** A reply of the endpoint itself that refuses this request: it is up. */
function showsAlive(error: unknown): boolean {
  return error instanceof RemoteRateLimitedError || (error instanceof RemoteCallError && !error.tripsBreaker);
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
