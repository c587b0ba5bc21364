package dev.signet.connector;

import dev.signet.Reason;
import dev.signet.UpstreamException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The resilience policy of upstream calls (DESIGN.md failure policy, row "upstream token/userinfo
 * endpoint"), built on resilience4j:
 *
 * <ul>
 *   <li><b>Retry, bounded</b>: at most {@link #MAX_ATTEMPTS} attempts, exponential backoff from
 *       {@link #FIRST_BACKOFF}, always inside the caller's deadline (an attempt that would start
 *       after it fails at once instead). Only "unreachable" failures are retried (timeout, I/O
 *       error, 5xx); a refusal (4xx) is an answer, not a fault.
 *   <li><b>Safe vs. unsafe</b>: GETs (discovery, userinfo, JWKS) are retried on any unreachable
 *       failure. The code exchange is retried only when the request provably never reached the
 *       upstream (connection refused, connect timeout): a code is single use (RFC 6749 §4.1.2), and
 *       a reset or a read timeout after sending may mean the upstream already redeemed it.
 *   <li><b>A circuit breaker per connection</b>: when most recent calls to a connection fail, calls
 *       to it stop for {@link #OPEN_FOR} and sign-ins fail fast with {@code upstream.circuit_open}
 *       instead of holding threads on a dead upstream; other connections have their own breaker.
 * </ul>
 */
final class UpstreamCalls {

    static final int MAX_ATTEMPTS = 3;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration OPEN_FOR = Duration.ofSeconds(30);

    private final CircuitBreakerRegistry breakers;
    private final Retry safe;
    private final Retry exchange;

    UpstreamCalls() {
        this(FIRST_BACKOFF);
    }

    /** {@code firstBackoff}: the wait before the first retry (replay: a millisecond, the answers are recorded). */
    UpstreamCalls(Duration firstBackoff) {
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(OPEN_FOR)
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(UpstreamCalls::unreachable)
                .build());
        IntervalFunction backoff = IntervalFunction.ofExponentialBackoff(firstBackoff, 2.0);
        this.safe = Retry.of("upstream-safe", RetryConfig.custom().maxAttempts(MAX_ATTEMPTS).intervalFunction(backoff)
                .retryOnException(e -> unreachable(e) && !deadlinePassed(e)).failAfterMaxAttempts(false).build());
        this.exchange = Retry.of("upstream-exchange", RetryConfig.custom().maxAttempts(MAX_ATTEMPTS).intervalFunction(backoff)
                .retryOnException(e -> unreachable(e) && neverSent(e)).failAfterMaxAttempts(false).build());
    }

    /** Runs a safe (idempotent) call: retried on any unreachable failure. */
    <T> T safe(String connection, String what, Supplier<T> attempt) {
        return run(safe, connection, what, attempt);
    }

    /** Runs the code exchange: retried only when no attempt reached the upstream. */
    <T> T exchange(String connection, String what, Supplier<T> attempt) {
        return run(exchange, connection, what, attempt);
    }

    /** The state of a connection's breaker (CLOSED, OPEN, HALF_OPEN, ...), for diagnostics and tests. */
    String state(String connection) {
        return breakers.circuitBreaker(connection).getState().name();
    }

    private <T> T run(Retry retry, String connection, String what, Supplier<T> attempt) {
        CircuitBreaker breaker = breakers.circuitBreaker(connection);
        try {
            return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, attempt)).get();
        } catch (CallNotPermittedException e) {
            throw new UpstreamException(Reason.UPSTREAM_CIRCUIT_OPEN, connection,
                    "Signet has paused calls to this provider for a moment because it failed repeatedly. Please try again shortly.",
                    what + " not called: circuit breaker open", e);
        }
    }

    static boolean unreachable(Throwable e) {
        return e instanceof UpstreamException u && u.reason() == Reason.UPSTREAM_UNREACHABLE;
    }

    /** The connection was never established, so the request was never sent. */
    static boolean neverSent(Throwable e) {
        Throwable c = e.getCause();
        return c instanceof ConnectException || c instanceof HttpConnectTimeoutException;
    }

    static boolean deadlinePassed(Throwable e) {
        return e.getCause() instanceof TimeoutException;
    }
}
