package dev.signet.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What a scrape costs the node: where it runs and how many lines a histogram writes (issue 16). */
class SignetMetricsTest {

    @Test
    void scrapeAskedOnAVirtualThreadIsRenderedOnAPlatformThread() throws Exception {
        SignetMetrics metrics = new SignetMetrics();
        AtomicReference<Thread> renderedOn = new AtomicReference<>();
        metrics.gauge("signet.test.render_thread", "which thread read the gauge", () -> {
            renderedOn.set(Thread.currentThread());
            return 1;
        });
        AtomicReference<String> text = new AtomicReference<>();
        Thread asker = Thread.ofVirtual().start(() -> text.set(metrics.scrape()));
        asker.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(text.get()).contains("signet_test_render_thread 1.0");
        // a virtual thread is never preempted: rendered on it, the scrape held a carrier that public requests need
        assertThat(renderedOn.get()).isNotNull();
        assertThat(renderedOn.get().isVirtual()).isFalse();
        assertThat(renderedOn.get()).isNotSameAs(asker);
    }

    @Test
    void requestHistogramHasSeventeenBoundsFromAHundredMicrosecondsToThirtySeconds() {
        SignetMetrics metrics = new SignetMetrics();
        metrics.request("GET", "/jwks", TimeUnit.MICROSECONDS.toNanos(180));
        metrics.request("GET", "/jwks", TimeUnit.MILLISECONDS.toNanos(40));
        String text = metrics.scrape();

        var buckets = text.lines().filter(l -> l.startsWith("signet_http_request_seconds_bucket{method=\"GET\",route=\"/jwks\"")).toList();
        assertThat(buckets).hasSize(18); // 17 bounds and +Inf
        assertThat(buckets.getFirst()).contains("le=\"1.0E-4\"").endsWith(" 0");
        assertThat(bucket(text, "2.5E-4")).isEqualTo(1); // 180 us
        assertThat(bucket(text, "0.025")).isEqualTo(1);
        assertThat(bucket(text, "0.05")).isEqualTo(2); // 40 ms
        assertThat(buckets.getLast()).contains("le=\"+Inf\"").endsWith(" 2");
    }

    @Test
    void storeAndUpstreamHistogramsHaveFixedBoundsToo() {
        SignetMetrics metrics = new SignetMetrics();
        metrics.store(false, TimeUnit.MICROSECONDS.toNanos(300), false);
        metrics.upstreamCall("corp", "token_endpoint", "ok", TimeUnit.MILLISECONDS.toNanos(120));
        String text = metrics.scrape();

        assertThat(text.lines().filter(l -> l.startsWith("signet_store_seconds_bucket{op=\"read\"")).count()).isEqualTo(16);
        assertThat(text.lines().filter(l -> l.startsWith("signet_upstream_request_seconds_bucket{connection=\"corp\"")).count()).isEqualTo(15);
        assertThat(text).contains("signet_store_seconds_bucket{op=\"read\",le=\"5.0E-4\"} 1");
        assertThat(text).contains("signet_upstream_request_seconds_bucket{connection=\"corp\",endpoint=\"token_endpoint\",outcome=\"ok\",le=\"0.25\"} 1");
    }

    private static long bucket(String text, String le) {
        var m = Pattern.compile("signet_http_request_seconds_bucket\\{method=\"GET\",route=\"/jwks\",le=\"" + Pattern.quote(le) + "\"} (\\d+)").matcher(text);
        assertThat(m.find()).as("bucket le=%s", le).isTrue();
        return Long.parseLong(m.group(1));
    }
}
