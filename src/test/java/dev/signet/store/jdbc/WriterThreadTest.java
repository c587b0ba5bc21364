package dev.signet.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.Reason;
import dev.signet.UnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * SQLite's writer thread (issue 16): units run one at a time on one platform thread; a unit that
 * cannot start within the store timeout never runs and its caller gets {@code store.unavailable};
 * a unit that started is waited for past the timeout (its caller never reports a failure for a
 * write that then commits).
 */
class WriterThreadTest {

    @Test
    void runWhenUnitsFromVirtualThreadsThenOnTheOnePlatformWriterThread() throws Exception {
        try (WriterThread w = new WriterThread(Duration.ofSeconds(5))) {
            Thread runner = CompletableFuture.supplyAsync(() -> w.run(Thread::currentThread),
                    r -> Thread.ofVirtual().start(r)).get(10, TimeUnit.SECONDS);
            assertThat(runner.isVirtual()).isFalse();
            assertThat(runner.getName()).isEqualTo("signet-store-writer");
            assertThat(w.run(Thread::currentThread)).isSameAs(runner);
        }
    }

    @Test
    void runWhenWriterBusyPastTheTimeoutThenUnavailableAndTheUnitNeverRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean ran = new AtomicBoolean();
        try (WriterThread w = new WriterThread(Duration.ofMillis(200))) {
            CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> w.run(() -> {
                started.countDown();
                await(release);
                return "first";
            }));
            await(started);
            assertThatThrownBy(() -> w.run(() -> {
                ran.set(true);
                return "second";
            })).isInstanceOfSatisfying(UnavailableException.class, e -> assertThat(e.reason()).isEqualTo(Reason.STORE_UNAVAILABLE));
            release.countDown();
            assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("first");
            assertThat(w.run(() -> "third")).isEqualTo("third"); // the thread goes on; the abandoned unit was skipped
        }
        assertThat(ran).as("a unit abandoned before it started must never write").isFalse();
    }

    @Test
    void runWhenUnitStartedThenWaitedForPastTheTimeoutAndItsResultAnswered() {
        try (WriterThread w = new WriterThread(Duration.ofMillis(100))) {
            String result = w.run(() -> {
                long until = System.nanoTime() + Duration.ofMillis(600).toNanos();
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // a unit that takes longer than the timeout once it has started
                }
                return "committed";
            });
            assertThat(result).isEqualTo("committed");
        }
    }

    @Test
    void runWhenUnitThrowsThenTheSameExceptionReachesTheCaller() {
        IllegalArgumentException thrown = new IllegalArgumentException("bad");
        try (WriterThread w = new WriterThread(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> w.run(() -> {
                throw thrown;
            })).isSameAs(thrown);
        }
    }

    @Test
    void closeWhenUnitRunningThenItFinishesFirstAndLaterUnitsAreRefused() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        WriterThread w = new WriterThread(Duration.ofSeconds(10));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> w.run(() -> {
            started.countDown();
            await(release);
            finished.set(true);
            return "first";
        }));
        await(started);
        CompletableFuture<Void> closed = CompletableFuture.runAsync(w::close);
        release.countDown();
        closed.get(10, TimeUnit.SECONDS);
        assertThat(finished).as("close waits for the unit in progress").isTrue();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        assertThatThrownBy(() -> w.run(() -> "late"))
                .isInstanceOfSatisfying(UnavailableException.class, e -> assertThat(e.reason()).isEqualTo(Reason.STORE_UNAVAILABLE));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
