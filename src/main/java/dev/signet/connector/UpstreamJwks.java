package dev.signet.connector;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;

/**
 * The one way a connector reads an upstream's JWK Set: cached by Nimbus, refetched on an unknown
 * {@code kid} (rate-limited), and the last good set kept for a day while the endpoint is down
 * (DESIGN failure policy: "JWKS refetched once on unknown kid").
 */
public final class UpstreamJwks {

    static final Duration KEEP_DURING_OUTAGE = Duration.ofDays(1);
    static final int MAX_SIZE = 512 * 1024;

    private UpstreamJwks() {}

    /** @throws IllegalArgumentException when {@code jwks} is no URL the JDK can fetch */
    public static JWKSource<SecurityContext> source(URI jwks, Duration timeout) {
        int ms = (int) timeout.toMillis();
        return source(jwks, new DefaultResourceRetriever(ms, ms, MAX_SIZE), fetched -> {});
    }

    /**
     * The set at {@code jwks}, fetched with {@code http} ({@link UpstreamTransport#jwks}), each fetched
     * set's text handed to {@code fetched} (the corpus recorder).
     */
    public static JWKSource<SecurityContext> source(URI jwks, com.nimbusds.jose.util.ResourceRetriever http,
            java.util.function.Consumer<String> fetched) {
        com.nimbusds.jose.util.ResourceRetriever reporting = url -> {
            com.nimbusds.jose.util.Resource r = http.retrieveResource(url);
            fetched.accept(r.getContent());
            return r;
        };
        try {
            return JWKSourceBuilder.<SecurityContext>create(jwks.toURL(), reporting)
                    .outageTolerant(KEEP_DURING_OUTAGE.toMillis()).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + jwks, e);
        }
    }
}
