package dev.signet.protocol.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.signet.config.ClientSettings;
import dev.signet.keys.SignatureProvider;
import dev.signet.store.ClientAssertionStore;
import dev.signet.store.Transactions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code private_key_jwt} (RFC 7523 §2.2 and §3, OIDC Core §9): the client signs a JWT with its
 * private key; Signet verifies it with the client's registered public keys (inline {@code jwks}, or
 * {@code jwks_uri} fetched with Nimbus, cached, refetched on an unknown {@code kid} at most twice per
 * {@link #REFETCH_INTERVAL}). Checked: {@code iss} = {@code sub} = the client id, {@code aud} names
 * the issuer, the token endpoint or the endpoint called, {@code exp} present, not past and at most
 * {@link #MAX_LIFETIME} ahead, {@code nbf} not in the future, and {@code jti} used once
 * (remembered until {@code exp}). Only asymmetric algorithms: never {@code none}, never HMAC (a
 * public key must not become an HMAC secret).
 */
public final class ClientAssertions {

    /**
     * Asymmetric JWS algorithms only (RFC 7518 §3.1 minus HS*). Not EdDSA (RFC 8037): Nimbus verifies
     * it through Google Tink, which Signet does not ship, so it is neither accepted nor advertised.
     */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    /** How far ahead an assertion's {@code exp} may be: a client makes a fresh one per request. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(10);
    static final Duration SKEW = Duration.ofSeconds(30);
    static final Duration JWKS_TTL = Duration.ofMinutes(15);
    static final Duration REFETCH_INTERVAL = Duration.ofSeconds(30);
    private static final int JWKS_SIZE_LIMIT = 64 * 1024;

    private final Transactions transactions;
    private final ClientAssertionStore used;
    private final Clock clock;
    private final SignatureProvider provider;
    private final ConcurrentMap<String, JWKSource<SecurityContext>> remote = new ConcurrentHashMap<>();
    private final DefaultResourceRetriever retriever = new DefaultResourceRetriever(5_000, 5_000, JWKS_SIZE_LIMIT);

    /** @param provider who verifies the assertions' signatures (RFC 7523 §3 item 9) */
    public ClientAssertions(Transactions transactions, ClientAssertionStore used, Clock clock, SignatureProvider provider) {
        this.transactions = transactions;
        this.used = used;
        this.clock = clock;
        this.provider = provider;
    }

    ClientSettings verify(Tenant tenant, String assertion, Optional<String> formClientId, URI endpoint) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw ClientAuthentication.invalid("client_assertion is not a signed JWT");
        }
        String iss = claims.getIssuer();
        if (iss == null || !iss.equals(claims.getSubject())) {
            throw ClientAuthentication.invalid("client_assertion: iss and sub must both be the client id (RFC 7523 §3)");
        }
        if (formClientId.isPresent() && !formClientId.get().equals(iss)) {
            throw ClientAuthentication.invalid("client_id does not match the client_assertion's iss");
        }
        ClientSettings client = tenant.client(iss).orElseThrow(() -> ClientAuthentication.invalid("unknown client"));
        if (!client.auth().privateKeyJwt()) {
            throw ClientAuthentication.invalid("this client does not use private_key_jwt (token_endpoint_auth_method)");
        }
        if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            throw ClientAuthentication.invalid("client_assertion algorithm " + jwt.getHeader().getAlgorithm() + " is not allowed");
        }
        Instant now = clock.instant();
        Instant exp = checkTimes(claims, now);
        List<String> audiences = List.of(tenant.issuer(), tenant.urls().at(Path.TOKEN).toString(), endpoint.toString());
        if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(audiences::contains)) {
            throw ClientAuthentication.invalid("client_assertion aud must be the issuer or the endpoint URL (RFC 7523 §3 item 3)");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty()) {
            throw ClientAuthentication.invalid("client_assertion needs a jti (OIDC Core §9)");
        }
        verifySignature(tenant, client, jwt);
        boolean first = transactions.write(tx -> used.use(tx, tenant.name(), client.id(), jti, exp.plus(SKEW)));
        if (!first) {
            throw ClientAuthentication.invalid("client_assertion jti was already used (replay)");
        }
        return client;
    }

    private static Instant checkTimes(JWTClaimsSet claims, Instant now) {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw ClientAuthentication.invalid("client_assertion needs exp (RFC 7523 §3 item 4)");
        }
        Instant e = exp.toInstant();
        if (!now.isBefore(e.plus(SKEW))) {
            throw ClientAuthentication.invalid("client_assertion expired");
        }
        if (e.isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
            throw ClientAuthentication.invalid("client_assertion exp is more than " + MAX_LIFETIME.toMinutes() + " minutes ahead");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(SKEW))) {
            throw ClientAuthentication.invalid("client_assertion is not valid yet (nbf in the future)");
        }
        return e;
    }

    private void verifySignature(Tenant tenant, ClientSettings client, SignedJWT jwt) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier((type, context) -> {}); // RFC 7523 names no typ; any (or none) is accepted
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys(tenant, client)));
        p.setJWTClaimsSetVerifier((claims, context) -> {}); // checked above, against Signet's clock
        p.setJWSVerifierFactory(provider.verifierFactory());
        try {
            p.process(jwt, null);
        } catch (com.nimbusds.jose.RemoteKeySourceException e) {
            throw ClientAuthentication.invalid("the client's jwks_uri could not be read: " + e.getMessage());
        } catch (Exception e) {
            throw ClientAuthentication.invalid("client_assertion signature does not verify with the client's keys");
        }
    }

    private JWKSource<SecurityContext> keys(Tenant tenant, ClientSettings client) {
        if (client.auth().jwks().isPresent()) {
            return new ImmutableJWKSet<>(client.auth().jwks().get());
        }
        URI uri = client.auth().jwksUri().orElseThrow(() -> ClientAuthentication.invalid("the client has no keys"));
        return remote.computeIfAbsent(tenant.name() + " " + client.id() + " " + uri, k -> {
            try {
                return JWKSourceBuilder.create(uri.toURL(), retriever)
                        .cache(JWKS_TTL.toMillis(), 5_000)
                        .refreshAheadCache(false)
                        .rateLimited(REFETCH_INTERVAL.toMillis())
                        .retrying(false)
                        .outageTolerant(false)
                        .build();
            } catch (MalformedURLException e) {
                throw ClientAuthentication.invalid("the client's jwks_uri is not a URL");
            }
        });
    }
}
