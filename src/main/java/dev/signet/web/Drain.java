package dev.signet.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Graceful shutdown of the HTTP layer. Helidon's {@code stop()} closes open connections at once,
 * which would cut a sign-in in the middle of its upstream exchange; so first Signet stops taking
 * new requests (503 + {@code Retry-After}, which load balancers read
 * as "go elsewhere"), waits for the requests in flight to finish, and only then stops the server.
 */
final class Drain {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean draining;

    /** False when shutting down: the caller answers 503 instead of handling the request. */
    boolean enter() {
        if (draining) {
            return false;
        }
        inFlight.incrementAndGet();
        if (draining) {
            exit();
            return false;
        }
        return true;
    }

    void exit() {
        if (inFlight.decrementAndGet() == 0 && draining) {
            lock.lock();
            try {
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Refuses new requests and waits up to {@code grace} for those in flight; true if all finished. */
    boolean drain(Duration grace) {
        draining = true;
        long left = grace.toNanos();
        lock.lock();
        try {
            while (inFlight.get() > 0 && left > 0) {
                left = idle.awaitNanos(left);
            }
            return inFlight.get() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
