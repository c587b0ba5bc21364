package dev.signet.corpus;

import dev.signet.Ids;
import dev.signet.config.ConnectionSettings;
import dev.signet.connector.IssuerExpectation;
import dev.signet.connector.UpstreamIdentity;
import dev.signet.connector.UpstreamObserver;
import dev.signet.store.CorpusEntry;
import dev.signet.store.CorpusStore;
import dev.signet.store.Tx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The upstream recorder (README "Upstream corpus"). It sees every upstream answer where
 * {@code UpstreamHttp} reports it ({@link UpstreamObserver#answered}, one place for every connector
 * kind), and keeps those made on a thread where a sign-in step opened a {@link Recording} for that
 * connection. The broker stores the recording, made synthetic ({@link Synthetic}), in the callback's
 * own write transaction (accepted) or in the failure event's transaction (refused). Discovery and
 * JWKS answers are cached by the connectors, so the last ones seen per tenant and connection are
 * kept here and added to every exchange. A recorder failure is logged and never fails a sign-in.
 */
public final class Recorder implements UpstreamObserver {

    /** Version of the stored and exported entry format. */
    public static final String FORMAT = "signet-corpus/2";
    /** Each entry's own version ({@code "version"}): entries recorded before it have none (format 1). */
    public static final int VERSION = 2;
    static final String DISCOVERY = "discovery";
    static final String JWKS = "jwks";
    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> JWK_PUBLIC = List.of("kid", "kty", "alg", "use", "crv");

    private final CorpusStore store;
    private final Ids ids;
    private final Clock clock;
    private final ThreadLocal<Recording> current = new ThreadLocal<>();
    private final Map<String, JsonNode> lastSeen = new ConcurrentHashMap<>();

    public Recorder(CorpusStore store, Ids ids, Clock clock) {
        this.store = store;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Opens the recording of one sign-in step on this thread; {@code settings} empty or with
     * {@code record: false} records nothing. Close it when the step ends.
     */
    public Recording begin(String tenant, Optional<ConnectionSettings> settings, Map<String, String> callback) {
        return begin(tenant, settings, callback, false);
    }

    /** {@code posted}: the callback came as a form POST ({@code response_mode=form_post}). */
    public Recording begin(String tenant, Optional<ConnectionSettings> settings, Map<String, String> callback, boolean posted) {
        Recording r = settings.filter(ConnectionSettings::record).map(s -> new Recording(tenant, s, Map.copyOf(callback), posted))
                .orElse(null);
        if (r == null) {
            return new Recording(tenant, null, Map.of(), false);
        }
        current.set(r);
        return r;
    }

    @Override
    public Call start(String connection, String endpoint) {
        return NONE.start(connection, endpoint);
    }

    @Override
    public void sent(String connection, String endpoint, String clientAuth) {
        Recording r = current.get();
        if (r != null && r.settings != null && r.settings.id().equals(connection)) {
            r.auth.put(endpoint, clientAuth);
        }
    }

    @Override
    public void answered(String connection, String endpoint, int status, @Nullable JsonNode body) {
        Recording r = current.get();
        if (r == null || r.settings == null || !r.settings.id().equals(connection)) {
            return;
        }
        if (endpoint.equals(DISCOVERY) || endpoint.equals(JWKS)) {
            if (status == 200 && body != null) {
                lastSeen.put(key(r.tenant, connection, endpoint), endpoint.equals(JWKS) ? publicParts(body) : body.deepCopy());
            }
            return;
        }
        r.answers.add(new Answer(endpoint, status, body == null ? null : body.deepCopy(), r.auth.remove(endpoint)));
    }

    private static String key(String tenant, String connection, String endpoint) {
        return tenant + "\n" + connection + "\n" + endpoint;
    }

    /** Only the public parameters that name and type each key; never key material. */
    static JsonNode publicParts(JsonNode set) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode keys = out.putArray("keys");
        set.path("keys").forEach(k -> {
            ObjectNode o = keys.addObject();
            JWK_PUBLIC.forEach(f -> {
                if (k.path(f).isString()) {
                    o.put(f, k.path(f).asString());
                }
            });
        });
        return out;
    }

    /** {@code auth}: how Signet's client authenticated the request ({@link UpstreamObserver#sent}), for form POSTs. */
    record Answer(String endpoint, int status, @Nullable JsonNode body, @Nullable String auth) {}

    /** One sign-in step being recorded. */
    public final class Recording implements AutoCloseable {
        private final String tenant;
        private final @Nullable ConnectionSettings settings;
        private final Map<String, String> callback;
        private final boolean posted;
        private final List<Answer> answers = new ArrayList<>();
        private final Map<String, String> auth = new ConcurrentHashMap<>();
        private volatile boolean armed;
        private volatile @Nullable UpstreamIdentity mapped;
        private volatile @Nullable IssuerExpectation expected;
        private volatile Set<String> publicNames = Set.of();

        private Recording(String tenant, @Nullable ConnectionSettings settings, Map<String, String> callback, boolean posted) {
            this.tenant = tenant;
            this.settings = settings;
            this.callback = callback;
            this.posted = posted;
        }

        /** What the connection expected of the callback's {@code iss} (its settings at recording time, for replay to compare). */
        public void expected(IssuerExpectation expectation) {
            expected = expectation;
        }

        /** Values kept as they are ({@link dev.signet.connector.PublicNames}). */
        public void publicNames(Set<String> names) {
            publicNames = Set.copyOf(names);
        }

        /** The callback's state matched a sign-in Signet started: only such exchanges are kept (no junk from forged callbacks). */
        public void arm() {
            armed = true;
        }

        /** The identity the connector mapped from the upstream's answers (what replay compares: subject, email, verified). */
        public void mapped(UpstreamIdentity identity) {
            mapped = identity;
        }

        /** Stores this exchange with {@code outcome} ("ok" or a reason code) in {@code tx}; never throws. */
        public void store(Tx tx, String outcome) {
            if (settings == null || !armed) {
                return;
            }
            Optional<CorpusEntry> e = entry(outcome);
            e.ifPresent(entry -> store.add(tx, entry, settings.recordLimit()));
        }

        /** The synthetic entry, or empty (logged) when it could not be made. */
        Optional<CorpusEntry> entry(String outcome) {
            try {
                Instant at = clock.instant();
                ObjectNode json = exchange(outcome, at);
                return Optional.of(new CorpusEntry(ids.id(), tenant, settings.id(), at, outcome, JSON.writeValueAsString(json)));
            } catch (RuntimeException x) {
                LOG.warn("upstream exchange not recorded: {}", x.getClass().getSimpleName());
                return Optional.empty();
            }
        }

        private ObjectNode exchange(String outcome, Instant at) {
            Synthetic synthetic = new Synthetic(settings.emailDomains(), publicNames);
            ObjectNode e = JsonNodeFactory.instance.objectNode();
            e.put("version", VERSION);
            e.put("recorded_at", at.toString());
            e.put("connection", settings.id());
            e.put("kind", settings.kind());
            e.put("outcome", outcome);
            ObjectNode cb = e.putObject("callback");
            ArrayNode names = cb.putArray("params");
            new TreeSet<>(callback.keySet()).forEach(names::add);
            cb.put("iss_present", callback.containsKey("iss"));
            Optional.ofNullable(callback.get("iss")).ifPresent(v -> cb.put("iss", v));
            Optional.ofNullable(callback.get("error")).ifPresent(v -> cb.put("error", v));
            Optional.ofNullable(callback.get("error_description")).ifPresent(v -> cb.put("error_description", synthetic.text(v)));
            cb.put("posted", posted);
            ObjectNode values = cb.putObject("values"); // every parameter but the code and the state, synthetic
            new TreeSet<>(callback.keySet()).stream().filter(k -> !k.equals("code") && !k.equals("state"))
                    .forEach(k -> values.put(k, callbackValue(k, callback.get(k), synthetic)));
            IssuerExpectation x = expected;
            if (x != null) {
                ObjectNode s = e.putObject("expected");
                s.put("issuer", x.issuer());
                s.put("iss_parameter_supported", x.issParameterAdvertised());
            }
            e.set("discovery", lastSeen.getOrDefault(key(tenant, settings.id(), DISCOVERY), JsonNodeFactory.instance.nullNode()));
            e.set("jwks", lastSeen.getOrDefault(key(tenant, settings.id(), JWKS), JsonNodeFactory.instance.nullNode()));
            ArrayNode responses = e.putArray("responses");
            for (Answer a : answers) {
                ObjectNode r = responses.addObject();
                r.put("endpoint", a.endpoint());
                r.put("status", a.status());
                if (a.auth() != null) {
                    r.put("client_auth", a.auth());
                }
                JsonNode body = a.body();
                if (body == null) {
                    r.put("json", false);
                    continue;
                }
                if (body.path("id_token").isString()) {
                    e.set("id_token", idToken(body.path("id_token").asString(), synthetic));
                }
                r.set("body", synthetic.copy(body));
            }
            UpstreamIdentity id = mapped;
            if (id != null) {
                ObjectNode m = e.putObject("mapped");
                m.put("subject", synthetic.string(id.subject()));
                id.email().ifPresent(v -> m.put("email", synthetic.string(v)));
                m.put("email_verified", id.emailVerified());
                id.name().ifPresent(v -> m.put("name", synthetic.string(v)));
                id.picture().ifPresent(v -> m.put("picture", synthetic.string(v)));
            }
            return e;
        }

        @Override
        public void close() {
            if (current.get() == this) {
                current.remove();
            }
        }
    }

    /** A callback parameter's synthetic value: a JSON object (Apple's {@code user}) stays JSON, with synthetic values. */
    static String callbackValue(String name, String value, Synthetic synthetic) {
        if (value.startsWith("{")) {
            try {
                return JSON.writeValueAsString(synthetic.copy(JSON.readTree(value)));
            } catch (RuntimeException notJson) {
                // an ordinary string
            }
        }
        JsonNode v = synthetic.copy(JsonNodeFactory.instance.objectNode().put(name, value)).path(name);
        return v.asString();
    }

    /** The ID token's header (alg, kid, typ) and its claims, made synthetic; its signature cannot be replayed, so it is dropped. */
    static JsonNode idToken(String jwt, Synthetic synthetic) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            out.put("readable", false);
            return out;
        }
        try {
            JsonNode header = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            ObjectNode h = out.putObject("header");
            for (String f : List.of("alg", "kid", "typ")) {
                if (header.path(f).isString()) {
                    h.put(f, header.path(f).asString());
                }
            }
            out.set("claims", synthetic.copy(claims));
        } catch (RuntimeException x) {
            out.removeAll();
            out.put("readable", false);
        }
        return out;
    }
}
