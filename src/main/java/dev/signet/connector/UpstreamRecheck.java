package dev.signet.connector;

import com.nimbusds.jose.jwk.JWKSet;
import dev.signet.Reason;
import dev.signet.UpstreamException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * What a probe refetches on every run (issue 17 item 1): the upstream's discovery document and
 * the JWK Set, bypassing every cache a connector keeps, compared the way a sign-in compares them.
 * A difference throws the {@link UpstreamException} a user's sign-in would end with:
 *
 * <pre>
 *   discovery  OIDC Discovery §4: the metadata answers JSON    else upstream.unreachable / upstream.bad_response
 *   issuer     §4.3: its issuer equals the expected one        else upstream.issuer_mismatch
 *   jwks       the JWK Set (from the metadata, or configured) parses and has a key
 *                                                              else upstream.unreachable / upstream.id_token_invalid
 * </pre>
 *
 * The calls go through {@link UpstreamHttp} (same deadline, retry and circuit breaker as a sign-in).
 * A kind without metadata nor a configured JWK Set (GitHub, oauth2) has nothing to recheck.
 */
public final class UpstreamRecheck {

    private UpstreamRecheck() {}

    /**
     * The recheck of {@code c}, when it has one ({@link Preflighted}, not served by Signet itself).
     * When it finds the issuer changed, a connector that keeps its discovered metadata ({@link
     * DiscoveryCache}) forgets it: the next sign-in refetches and fails at its start with
     * {@code upstream.issuer_mismatch}, before the user types a password at the upstream.
     */
    public static Optional<Callable<String>> of(Connector c, UpstreamHttp http, Duration timeout) {
        return of(c, http, timeout, (what, doc) -> {});
    }

    /**
     * As {@link #of(Connector, UpstreamHttp, Duration)}, handing each document it fetched ({@code
     * "discovery"}, {@code "jwks"}) to {@code fetched} before it is checked, also when the check then
     * fails (the drift watcher compares them).
     */
    public static Optional<Callable<String>> of(Connector c, UpstreamHttp http, Duration timeout, BiConsumer<String, JsonNode> fetched) {
        if (c instanceof Unsafe || !(c instanceof Preflighted p)) {
            return Optional.empty();
        }
        return Optional.of(() -> {
            try {
                return run(c.id(), p.preflight(), http, timeout, fetched);
            } catch (UpstreamException e) {
                if (e.reason() == Reason.UPSTREAM_ISSUER_MISMATCH && c instanceof DiscoveryCache d) {
                    d.forgetDiscovery();
                }
                throw e;
            }
        });
    }

    /** Runs the checks of {@code preflight} for {@code connection}; returns what was checked (no secrets). */
    public static String run(String connection, Preflight preflight, UpstreamHttp http, Duration timeout) {
        return run(connection, preflight, http, timeout, (what, doc) -> {});
    }

    private static String run(String connection, Preflight preflight, UpstreamHttp http, Duration timeout,
            BiConsumer<String, JsonNode> fetched) {
        Optional<URI> jwks = preflight.jwks();
        StringBuilder done = new StringBuilder();
        if (preflight.metadata().isPresent()) {
            Preflight.Metadata m = preflight.metadata().get();
            JsonNode doc = http.getJson(connection, "discovery", m.url(), timeout);
            fetched.accept("discovery", doc);
            String actual = UpstreamFields.of(connection, "discovery document", doc).optString("issuer").orElse("");
            if (!actual.equals(m.expectedIssuer())) {
                alsoFetchKeys(connection, doc, http, timeout, fetched);
                throw UpstreamException.of(Reason.UPSTREAM_ISSUER_MISMATCH, connection,
                        "The provider's configuration names a different issuer.",
                        "discovery issuer mismatch: expected '" + m.expectedIssuer() + "', received '" + actual + "'");
            }
            done.append("issuer ").append(actual);
            UpstreamFields f = UpstreamFields.of(connection, "discovery document", doc);
            try {
                jwks = Optional.of(URI.create(f.string("jwks_uri")));
            } catch (IllegalArgumentException e) {
                throw f.invalid("jwks_uri", "a URL");
            }
        }
        if (jwks.isPresent()) {
            JsonNode set = http.getJson(connection, "jwks", jwks.get(), timeout);
            fetched.accept("jwks", set);
            int keys;
            try {
                keys = JWKSet.parse(set.toString()).getKeys().size();
            } catch (ParseException e) {
                keys = 0;
            }
            if (keys == 0) {
                throw UpstreamException.of(Reason.UPSTREAM_ID_TOKEN_INVALID, connection,
                        "The provider publishes no signing key Signet can use.", "jwks at " + jwks.get().getHost()
                                + " has no usable key: no ID token can be verified");
            }
            done.append(done.isEmpty() ? "" : ", ").append(keys).append(" signing key(s)");
        }
        return done.isEmpty() ? "nothing to refetch" : done.toString();
    }

    /**
     * The check fails at the issuer, but whoever watches what the upstream publishes (the drift
     * watcher) still gets its key set, so a new issuer and new keys at once are both seen; a failure
     * here changes nothing about the issuer's failure.
     */
    private static void alsoFetchKeys(String connection, JsonNode doc, UpstreamHttp http, Duration timeout,
            BiConsumer<String, JsonNode> fetched) {
        try {
            fetched.accept("jwks", http.getJson(connection, "jwks", URI.create(doc.path("jwks_uri").asString("")), timeout));
        } catch (RuntimeException e) {
            // the issuer mismatch is the failure to report
        }
    }
}
