package dev.signet.drift;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.event.Event;
import dev.signet.event.Outbox;
import dev.signet.observe.SignetMetrics;
import dev.signet.store.CorpusStore;
import dev.signet.store.PublishedStore;
import dev.signet.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Compares what an upstream publishes now with what was seen before and raises one alert per
 * changed field: an {@code upstream.drift} event written in the same transaction as the
 * compare-and-set that records the new value (so of several nodes the first one alerts, once), the
 * metric {@code signet_upstream_drift_total{connection,field}} and one WARN line, each naming the
 * connection, the field, old → new and the config line to change.
 *
 * <p>The first observation of a connection is its baseline and raises nothing. It is seeded from the
 * newest recorded sign-in that holds a discovery document when there is one, so a change between
 * that sign-in and the first probe is still reported; fields only the corpus shows ({@code
 * callback_iss}, {@code token_response_fields}) are compared from the second look on.
 */
public final class DriftWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(DriftWatcher.class);
    /** How many of the newest recorded exchanges are read per look. */
    static final int CORPUS_WINDOW = 20;

    /**
     * The config lines (relative to the connection, {@code key: value}) that follow an upstream's
     * new value of a field; empty when no key governs it. Built by the composition root from the
     * connector's capabilities.
     */
    @FunctionalInterface
    public interface Hints {
        List<String> configLines(String tenant, String connection, String field, Optional<String> now);
    }

    /** One alert raised by this node. */
    public record Change(String tenant, String connection, String field, String old, String now, String hint, String message) {}

    private final Transactions store;
    private final PublishedStore published;
    private final CorpusStore corpus;
    private final Outbox outbox;
    private final SignetMetrics metrics;
    private final Hints hints;
    private final Clock clock;
    /** This node's previous look per tenant and connection (to tell a connector its kept discovery is stale). */
    private final Map<String, Observed> lastLook = new ConcurrentHashMap<>();

    public DriftWatcher(Transactions store, PublishedStore published, CorpusStore corpus, Outbox outbox, SignetMetrics metrics,
            Hints hints, Clock clock) {
        this.store = store;
        this.published = published;
        this.corpus = corpus;
        this.outbox = outbox;
        this.metrics = metrics;
        this.hints = hints;
        this.clock = clock;
    }

    /** What a look found: the alerts this node raised, and whether the discovery document differs from this node's previous look or from the stored (or seeded) one. */
    public record Look(List<Change> raised, boolean discoveryChanged) {}

    /**
     * One look at {@code connection} of {@code tenant}: the documents the probe just refetched (empty
     * when the kind has none) and the newest recorded sign-ins.
     */
    public Look look(String tenant, String connection, Optional<JsonNode> discovery, Optional<JsonNode> jwks) {
        Observed now = Observed.none();
        if (discovery.isPresent() && discovery.get().isObject()) {
            now = now.with(Observed.discovery(discovery.get()));
        }
        if (jwks.isPresent() && jwks.get().isObject()) {
            now = now.with(Observed.jwks(jwks.get()));
        }
        Observed fresh = now;
        record Before(Map<String, PublishedStore.Field> fields, Observed corpus, Observed seed) {}
        Before before = store.read(tx -> {
            Map<String, PublishedStore.Field> fields = published.fields(tx, tenant, connection);
            List<dev.signet.store.CorpusEntry> recent = corpus.latest(tx, tenant, connection, CORPUS_WINDOW);
            return new Before(fields, Observed.corpus(recent, false), fields.isEmpty() ? Observed.corpus(recent, true) : Observed.none());
        });
        Observed observed = fresh.with(before.corpus());
        Observed previousLook = lastLook.put(tenant + "\n" + connection, observed);
        boolean discoveryChanged = previousLook != null && previousLook.discoveryDiffers(observed);

        Instant at = clock.instant();
        List<Change> raised = new ArrayList<>();
        Map<String, String> baselines = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : observed.fields().entrySet()) {
            String field = e.getKey();
            String value = e.getValue();
            PublishedStore.Field stored = before.fields().get(field);
            Optional<String> old = stored != null ? Optional.of(stored.value()) : Optional.ofNullable(before.seed().fields().get(field));
            if (old.isEmpty() || old.get().equals(value)) {
                if (stored == null) {
                    baselines.put(field, value);
                }
                continue;
            }
            // also a change against the stored (or seeded) value: this node may not have looked before
            discoveryChanged |= Observed.DISCOVERY.contains(field);
            Change c = change(tenant, connection, field, old.get(), value);
            boolean mine = store.write(tx -> {
                boolean won = stored == null
                        ? published.insert(tx, tenant, connection, field, value, old, Optional.of(c.hint()), at)
                        : published.change(tx, tenant, connection, field, old.get(), value, c.hint(), at);
                if (won) {
                    outbox.append(tx, new Event.UpstreamDrift(tenant, connection, field, c.old(), c.now(), c.hint(), c.message()));
                }
                return won;
            });
            if (mine) {
                metrics.count("signet.upstream.drift", "Changes in what an upstream publishes (one per change, raised by one node)",
                        "connection", connection, "field", field);
                LOG.warn("upstream drift: {}", c.message(), kv("tenant", tenant), kv("connection", connection), kv("field", field),
                        kv("old", c.old()), kv("new", c.now()), kv("hint", c.hint()));
                raised.add(c);
            }
        }
        if (!baselines.isEmpty()) { // fields seen for the first time: one transaction; a row another node wrote first stays
            store.write(tx -> {
                baselines.forEach((field, value) -> published.insert(tx, tenant, connection, field, value, Optional.empty(), Optional.empty(), at));
                return null;
            });
        }
        return new Look(List.copyOf(raised), discoveryChanged);
    }

    /** The tenant's last change per connection, from the store (whichever node raised it). */
    public Map<String, PublishedStore.Field> last(String tenant) {
        Map<String, PublishedStore.Field> out = new java.util.LinkedHashMap<>();
        store.read(tx -> published.changes(tx, tenant)).forEach(f -> out.putIfAbsent(f.connection(), f));
        return out;
    }

    /** As an operator reads a stored value. */
    public static String show(String json) {
        return Observed.show(json);
    }

    private Change change(String tenant, String connection, String field, String oldJson, String nowJson) {
        String old = Observed.show(oldJson);
        String now = Observed.show(nowJson);
        List<String> lines = hints.configLines(tenant, connection, field, Observed.plain(nowJson));
        String hint = lines.isEmpty() ? "no config line to change: " + noLine(field)
                : String.join("; ", lines.stream().map(l -> "set connections[" + connection + "]." + l).toList());
        String what = switch (field) {
            case Observed.CALLBACK_ISS -> nowJson.equals(Observed.ABSENT) ? "callbacks no longer carry iss (was " + old + ")"
                    : "callbacks now carry iss=" + now + " (before: " + (oldJson.equals(Observed.ABSENT) ? "none" : old) + ")";
            default -> field + " changed from " + old + " to " + now;
        };
        return new Change(tenant, connection, field, old, now, hint, connection + ": " + what + "; " + hint);
    }

    private static String noLine(String field) {
        return switch (field) {
            case Observed.JWKS_KEYS -> "Signet refetches the key set when an ID token names an unknown kid";
            case Observed.TOKEN_FIELDS -> "check that the claims and fields Signet reads are still there (signet replay)";
            case Observed.ISSUER -> "the kind's preset fixes the issuer; check the connection's settings or upgrade Signet";
            default -> "Signet follows the discovery document";
        };
    }
}
