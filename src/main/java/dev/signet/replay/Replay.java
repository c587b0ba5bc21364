package dev.signet.replay;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.UpstreamException;
import dev.signet.config.ConnectionSettings;
import dev.signet.config.TenantSettings;
import dev.signet.connector.CallbackCheck;
import dev.signet.connector.Connector;
import dev.signet.connector.ConnectorKinds;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.UpstreamIdentity;
import dev.signet.connector.UpstreamObserver;
import dev.signet.connector.VerifiedCallback;
import dev.signet.corpus.Recorder;
import dev.signet.keys.SignatureProvider;
import dev.signet.tenant.Urls;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the current build's and configuration's connector code over recorded exchanges, offline, and
 * compares each outcome with the recorded one (README "Upgrading safely"). Per exchange: a fresh
 * connector of the connection's configured kind is opened on a {@link RecordedTransport} (so no
 * cached discovery, key set or circuit breaker carries from one exchange to the next), the callback
 * is rebuilt from the recorded parameters and passed through {@link CallbackCheck} (state, response
 * mode, RFC 9207 {@code iss}, {@code error}), and the connector's {@code finish} runs: token
 * exchange, ID-token verification (re-signed, {@link ReplayKeys}), profile calls, claim mapping and
 * every restriction the kind checks.
 *
 * <p>Differences: an accepted exchange now refused, a refusal with another reason code, a changed
 * mapped {@code subject}, {@code email} or {@code email_verified}, and a token request that now
 * authenticates Signet's client another way are regressions. A refused exchange now accepted is a
 * regression too unless {@code allowNewlyAccepted}: a check that stopped refusing is what an
 * accidental loosening looks like. Exchanges whose outcome was decided outside the connector
 * (hooks, the store, an expired or completed sign-in, an open circuit breaker), those of Signet's own
 * dev upstream, those recorded before format 2, and those whose replay needs an answer the upstream
 * was never asked for are counted as not replayed, never as regressions.
 */
public final class Replay {

    /** Recorded outcomes decided before or after the connector: not replayable offline. */
    private static final Set<String> OUTSIDE = Set.of("upstream.state_mismatch", "upstream.circuit_open");
    private static final Set<String> TIME_CLAIMS = Set.of("exp", "iat", "nbf", "auth_time");
    private static final String STATE = "replay-state";
    private static final String NONCE = "replay-nonce";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration BUDGET = Duration.ofSeconds(20);

    private final ConnectorKinds kinds;
    private final Clock clock;
    private final boolean allowNewlyAccepted;
    private final ReplayKeys keys;
    private final Map<String, String> publishedSets = new ConcurrentHashMap<>();

    /** {@code provider}: who computes the stand-in ID-token signatures (the connector verifies them as it always does). */
    public Replay(ConnectorKinds kinds, Clock clock, SignatureProvider provider, boolean allowNewlyAccepted) {
        this.keys = new ReplayKeys(provider);
        this.kinds = Objects.requireNonNull(kinds, "kinds");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.allowNewlyAccepted = allowNewlyAccepted;
    }

    /** Replays every exchange of {@code corpus} (one tenant's file) against {@code tenant}'s connections; {@code only}: one connection. */
    public ReplayReport run(TenantSettings tenant, JsonNode corpus, Optional<String> only) {
        Urls urls = new Urls(tenant.issuer());
        List<ReplayReport.Connection> counts = new ArrayList<>();
        List<ReplayReport.Difference> regressions = new ArrayList<>();
        List<ReplayReport.Difference> accepted = new ArrayList<>();
        List<ReplayReport.Difference> skipped = new ArrayList<>();
        for (JsonNode c : corpus.path("connections")) {
            String id = c.path("id").asString("");
            if (only.isPresent() && !only.get().equals(id)) {
                continue;
            }
            Optional<ConnectionSettings> settings = tenant.connections().stream().filter(s -> s.id().equals(id)).findFirst();
            List<JsonNode> exchanges = new ArrayList<>();
            c.path("exchanges").forEach(exchanges::add);
            // independent exchanges (each its own connector and transport): on every core, results in the recorded order
            List<Result> results = exchanges.parallelStream().map(x -> exchange(id, settings, urls, x)).toList();
            int n = 0;
            int unchanged = 0;
            int regressed = 0;
            int widened = 0;
            int notReplayed = 0;
            for (Result r : results) {
                n++;
                switch (r.kind()) {
                    case UNCHANGED -> unchanged++;
                    case NOT_REPLAYED -> {
                        notReplayed++;
                        skipped.addAll(r.differences());
                    }
                    case NEWLY_ACCEPTED -> {
                        widened++;
                        if (allowNewlyAccepted) {
                            accepted.addAll(r.differences());
                        } else {
                            regressed++;
                            regressions.addAll(r.differences());
                        }
                    }
                    case REGRESSED -> {
                        regressed++;
                        regressions.addAll(r.differences());
                    }
                }
            }
            counts.add(new ReplayReport.Connection(id, settings.map(ConnectionSettings::kind).orElse(c.path("kind").asString("?")), n,
                    unchanged, regressed, widened, notReplayed));
        }
        return new ReplayReport(tenant.name(), counts, regressions, accepted, skipped);
    }

    enum Kind { UNCHANGED, REGRESSED, NEWLY_ACCEPTED, NOT_REPLAYED }

    record Result(Kind kind, List<ReplayReport.Difference> differences) {}

    /** What the current build concluded: {@code outcome} "ok" with {@code identity}, or a reason code with its detail. */
    private record Now(String outcome, String detail, @Nullable UpstreamIdentity identity, Map<String, String> clientAuth) {}

    private Result exchange(String connection, Optional<ConnectionSettings> settings, Urls urls, JsonNode x) {
        String exchange = x.path("id").asString("?");
        String old = x.path("outcome").asString("?");
        String kind = x.path("kind").asString("?");
        if (x.path("version").asInt(1) < Recorder.VERSION) {
            return skip(connection, exchange, old, "recorded before corpus format 2 (no response mode, client authentication or"
                    + " callback values): record again with this version");
        }
        if (kind.equals("dev-unsafe")) {
            return skip(connection, exchange, old, "Signet's own dev upstream: nothing external to replay");
        }
        if (!old.equals("ok") && (!old.startsWith("upstream.") || OUTSIDE.contains(old))) {
            return skip(connection, exchange, old, "outcome decided outside the connector");
        }
        if (settings.isEmpty()) {
            return regressed(connection, exchange, List.of(new ReplayReport.Difference(connection, exchange, "outcome", old,
                    "signin.unknown_connection", "the configuration has no connection '" + connection + "'")));
        }
        RecordedTransport transport = transport(x);
        Now now = run(settings.get(), urls, x, transport);
        if (!transport.gaps().isEmpty()) {
            return skip(connection, exchange, old, "the current build asks the upstream for what it was never asked: "
                    + String.join(", ", transport.gaps()));
        }
        return compare(connection, exchange, old, x, now);
    }

    private Now run(ConnectionSettings settings, Urls urls, JsonNode x, RecordedTransport transport) {
        Map<String, String> sent = new LinkedHashMap<>();
        UpstreamObserver observer = new UpstreamObserver() {
            @Override
            public Call start(String connection, String endpoint) {
                return NONE.start(connection, endpoint);
            }

            @Override
            public void sent(String connection, String endpoint, String clientAuth) {
                sent.putIfAbsent(endpoint, clientAuth);
            }
        };
        UpstreamHttp http = UpstreamHttp.replaying(transport, clock, observer);
        try {
            Connector connector = kinds.open(settings, new ConnectorKinds.Deps(urls, http));
            JsonNode cb = x.path("callback");
            VerifiedCallback verified = CallbackCheck.verify(connector, params(cb), cb.path("posted").asBoolean(false),
                    Optional.of(STATE), NONCE, "replay-code-verifier", urls.at(Urls.Path.CALLBACK, settings.id()),
                    clock.instant().plus(BUDGET));
            UpstreamIdentity identity = connector.finish(verified);
            return new Now("ok", "", identity, sent);
        } catch (UpstreamException e) {
            return new Now(e.reason().code(), e.detail(), null, sent);
        } catch (RecordedTransport.Gap e) {
            return new Now("replay.gap", e.getMessage(), null, sent);
        } catch (RuntimeException e) {
            return new Now("internal", "the connector threw " + e.getClass().getName(), null, sent);
        }
    }

    /** The callback as recorded, with Signet's own state and a stand-in code. */
    private static Map<String, String> params(JsonNode cb) {
        Map<String, String> p = new HashMap<>();
        for (JsonNode name : cb.path("params")) {
            String k = name.asString();
            JsonNode v = cb.path("values").path(k);
            switch (k) {
                case "state" -> p.put(k, STATE);
                case "code" -> p.put(k, "replay-code");
                case "iss" -> p.put(k, v.isString() ? v.asString() : cb.path("iss").asString(""));
                case "error" -> p.put(k, v.isString() ? v.asString() : cb.path("error").asString(""));
                default -> p.put(k, v.isString() ? v.asString() : "");
            }
        }
        return p;
    }

    private Result compare(String connection, String exchange, String old, JsonNode x, Now now) {
        List<ReplayReport.Difference> d = new ArrayList<>();
        if (!old.equals(now.outcome())) {
            JsonNode expected = x.path("expected");
            String then = now.outcome().startsWith("upstream.issuer_") && expected.isObject()
                    ? "; when recorded the connection expected issuer '" + expected.path("issuer").asString("")
                            + "' (iss required: " + expected.path("iss_parameter_supported").asBoolean(false) + ")"
                    : "";
            d.add(new ReplayReport.Difference(connection, exchange, "outcome", old, now.outcome(), now.detail() + then));
            return old.equals("ok") ? regressed(connection, exchange, d) : now.outcome().equals("ok")
                    ? new Result(Kind.NEWLY_ACCEPTED, d) : regressed(connection, exchange, d);
        }
        UpstreamIdentity id = now.identity();
        JsonNode mapped = x.path("mapped");
        if (id != null && mapped.isObject()) {
            field(d, connection, exchange, "subject", mapped.path("subject").asString("(none)"), id.subject());
            field(d, connection, exchange, "email", mapped.path("email").asString("(none)"), id.email().orElse("(none)"));
            field(d, connection, exchange, "email_verified", String.valueOf(mapped.path("email_verified").asBoolean(false)),
                    String.valueOf(id.emailVerified()));
        }
        for (JsonNode r : x.path("responses")) {
            String endpoint = r.path("endpoint").asString("");
            String recorded = r.path("client_auth").asString("");
            String current = now.clientAuth().get(endpoint);
            if (!recorded.isEmpty() && current != null) {
                field(d, connection, exchange, "client_auth (" + endpoint + ")", recorded, current);
            }
        }
        return d.isEmpty() ? new Result(Kind.UNCHANGED, List.of()) : regressed(connection, exchange, d);
    }

    private static void field(List<ReplayReport.Difference> d, String connection, String exchange, String field, String old, String now) {
        if (!old.equals(now) && d.stream().noneMatch(e -> e.field().equals(field))) {
            d.add(new ReplayReport.Difference(connection, exchange, field, old, now, ""));
        }
    }

    private static Result regressed(String connection, String exchange, List<ReplayReport.Difference> d) {
        return new Result(Kind.REGRESSED, d);
    }

    private static Result skip(String connection, String exchange, String old, String why) {
        return new Result(Kind.NOT_REPLAYED, List.of(new ReplayReport.Difference(connection, exchange, "outcome", old, "(not replayed)", why)));
    }

    /** The recorded answers, the ID token re-signed with a stand-in key, the key set published as those keys' public halves. */
    private RecordedTransport transport(JsonNode x) {
        JsonNode set = x.path("jwks");
        String jwks = set.isObject() ? publishedSets.computeIfAbsent(set.toString(), k -> published(set)) : null;
        String token = idToken(x, set);
        List<Map.Entry<String, RecordedTransport.Answer>> answers = new ArrayList<>();
        for (JsonNode r : x.path("responses")) {
            JsonNode body = r.path("body");
            String text = null;
            if (body.isObject() || body.isArray()) {
                if (token != null && body.path("id_token").isString()) {
                    body = ((ObjectNode) body.deepCopy()).put("id_token", token);
                }
                text = body.toString();
            }
            answers.add(new AbstractMap.SimpleEntry<>(r.path("endpoint").asString(""),
                    new RecordedTransport.Answer(r.path("status").asInt(0), text)));
        }
        JsonNode discovery = x.path("discovery");
        return new RecordedTransport(discovery.isObject() ? discovery.toString() : null, jwks, answers);
    }

    private String published(JsonNode set) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode k : set.path("keys")) {
            recordedKey(k).ifPresent(j -> out.add(j.toPublicJWK().toJSONObject()));
        }
        return JSON.writeValueAsString(Map.of("keys", out));
    }

    private Optional<JWK> recordedKey(JsonNode k) {
        return keys.key(text(k, "kid"), text(k, "kty"), text(k, "crv"), text(k, "alg"), text(k, "use"));
    }

    private static @Nullable String text(JsonNode n, String field) {
        return n.path(field).isString() ? n.path(field).asString() : null;
    }

    /**
     * The recorded ID token's header and claims, signed with the stand-in of the key its header
     * names: its times moved so that it is issued now (by its {@code iat}, else the exchange's
     * time), keeping its lifetime (valid then, valid now; expired then, expired now), and its nonce
     * the replay's. A token whose recorded outcome was {@code
     * upstream.id_token_invalid}, or whose key the recorded set lacks, is signed with a key
     * published nowhere: the corpus cannot say which check failed, so the signature fails again.
     */
    private @Nullable String idToken(JsonNode x, JsonNode set) {
        JsonNode t = x.path("id_token");
        if (!t.path("header").isObject() || !t.path("claims").isObject()) {
            return null;
        }
        Map<String, Object> header = JSON.convertValue(t.path("header"), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = new LinkedHashMap<>(JSON.convertValue(t.path("claims"), Map.class));
        // issued now: moved by its iat's age (else the exchange's), so its lifetime and any skew are what they were
        Instant issued = claims.get("iat") instanceof Number iat ? Instant.ofEpochSecond(iat.longValue())
                : Instant.parse(x.path("recorded_at").asString(clock.instant().toString()));
        long age = Duration.between(issued, clock.instant()).toSeconds();
        for (String c : TIME_CLAIMS) {
            if (claims.get(c) instanceof Number n) {
                claims.put(c, n.longValue() + age);
            }
        }
        if (claims.containsKey("nonce")) {
            claims.put("nonce", NONCE);
        }
        String alg = header.get("alg") instanceof String a ? a : null;
        Optional<JWK> key = Optional.empty();
        if (!x.path("outcome").asString("").equals("upstream.id_token_invalid")) {
            for (JsonNode k : set.path("keys")) {
                if (Objects.equals(text(k, "kid"), header.get("kid")) && (alg == null || text(k, "alg") == null || alg.equals(text(k, "alg")))) {
                    key = recordedKey(k);
                    break;
                }
            }
        }
        if (key.isEmpty()) {
            key = keys.unpublished(alg);
        }
        try {
            return keys.sign(header, JWTClaimsSet.parse(claims), key);
        } catch (ParseException e) {
            return null;
        }
    }
}
