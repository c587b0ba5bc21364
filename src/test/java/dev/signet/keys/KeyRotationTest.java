package dev.signet.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key rotation (issue 14) with a settable clock: the next key is in the JWKS before it signs
 * anything, the previous one stays until every token it signed has expired, and nothing signs with
 * an unpublished key. At every moment of the walk every unexpired token issued so far verifies
 * against the JWKS published at that moment.
 */
class KeyRotationTest {

    static SignetHarness signet;
    static final Duration TTL = Duration.ofMinutes(10);
    static final Duration AHEAD = Duration.ofMinutes(5);
    static final Duration EVERY = Duration.ofHours(2);

    static final String CONFIG = SignetHarness.server() + """
            keys:
              rotate_every: 2h
              publish_ahead: 5m
            tenants:
              - name: default
                clients:
                  - id: es
                    secret: es-secret-0123456789abc
                    grant_types: [client_credentials]
                    access_token_ttl: 10m
                  - id: rs
                    secret: rs-secret-0123456789abc
                    grant_types: [client_credentials]
                    access_token_signed_response_alg: RS256
                    access_token_ttl: 10m
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    record Issued(String token, String kid, Instant exp) {}

    final List<Issued> issued = new ArrayList<>();

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    @Test
    void rotationWhenWalkedThroughThenEveryUnexpiredTokenVerifiesAgainstTheJwksOfEveryMoment() throws Exception {
        Set<String> before = kids(jwks());
        advance(Duration.ofMinutes(1)); // tokens of the old keys
        Set<String> oldSigning = signingKids();

        List<KeyRotation.Created> created = signet.app().rotateKeys(Optional.empty(), true);
        assertThat(created).extracting(KeyRotation.Created::alg).containsExactlyInAnyOrder("RS256", "ES256");
        Set<String> fresh = new LinkedHashSet<>(created.stream().map(KeyRotation.Created::kid).toList());
        assertThat(kids(jwks())).as("the next keys are published at once, next to the current ones")
                .containsAll(fresh).containsAll(before);
        moment();
        assertThat(signingKids()).as("during publish_ahead the old keys still sign").isEqualTo(oldSigning);

        advance(AHEAD.minusSeconds(1));
        assertThat(signingKids()).isEqualTo(oldSigning);
        advance(Duration.ofSeconds(1));
        assertThat(signingKids()).as("after publish_ahead the new keys sign").isEqualTo(fresh);

        // the old keys stay until every token they signed has expired (ttl + skew + key check interval)
        advance(TTL);
        assertThat(kids(jwks())).containsAll(oldSigning);
        advance(Duration.ofMinutes(2));
        assertThat(kids(jwks())).as("old keys retired once their tokens expired").doesNotContainAnyElementsOf(oldSigning)
                .containsAll(fresh);
        assertThat(signet.app().rotateKeys(Optional.empty(), false)).as("not due yet").isEmpty();

        // the schedule: due publish_ahead before rotate_every has passed since the current keys began signing
        advance(EVERY.minus(AHEAD).minus(TTL).minus(Duration.ofMinutes(2)).minusSeconds(1), Duration.ofMinutes(7));
        assertThat(signet.app().rotateKeys(Optional.empty(), false)).isEmpty();
        moment();
        advance(Duration.ofSeconds(1));
        List<KeyRotation.Created> scheduled = signet.app().rotateKeys(Optional.empty(), false);
        assertThat(scheduled).hasSize(2);
        assertThat(scheduled.getFirst().signsFrom()).isEqualTo(signet.clock.instant().plus(AHEAD));
        assertThat(signet.app().rotateKeys(Optional.empty(), true)).as("a successor already waits: nothing more").isEmpty();
        advance(AHEAD);
        assertThat(signingKids()).containsExactlyInAnyOrderElementsOf(scheduled.stream().map(KeyRotation.Created::kid).toList());
    }

    /** Every {@code step} of the walk: issue tokens, then check every unexpired token against the JWKS of now. */
    void advance(Duration d) throws Exception {
        advance(d, Duration.ofMinutes(1));
    }

    void advance(Duration d, Duration step) throws Exception {
        Duration left = d;
        while (left.compareTo(step) > 0) {
            signet.clock.advance(step);
            left = left.minus(step);
            moment();
        }
        signet.clock.advance(left);
        moment();
    }

    void moment() throws Exception {
        JWKSet published = jwks();
        for (String client : List.of("es", "rs")) {
            String token = token(client);
            SignedJWT jwt = SignedJWT.parse(token);
            assertThat(published.getKeyByKeyId(jwt.getHeader().getKeyID())).as("signed with a published key").isNotNull();
            issued.add(new Issued(token, jwt.getHeader().getKeyID(), jwt.getJWTClaimsSet().getExpirationTime().toInstant()));
        }
        Instant now = signet.clock.instant();
        for (Issued i : issued) {
            if (i.exp().isAfter(now)) {
                JWK key = published.getKeyByKeyId(i.kid());
                assertThat(key).as("key %s of an unexpired token is published at %s", i.kid(), now).isNotNull();
                SignedJWT jwt = SignedJWT.parse(i.token());
                JWSVerifier v = key.getKeyType().getValue().equals("RSA") ? new RSASSAVerifier(key.toRSAKey()) : new ECDSAVerifier(key.toECKey());
                assertThat(jwt.verify(v)).isTrue();
            }
        }
    }

    Set<String> signingKids() throws Exception {
        Set<String> out = new LinkedHashSet<>();
        for (String client : List.of("es", "rs")) {
            out.add(SignedJWT.parse(token(client)).getHeader().getKeyID());
        }
        return out;
    }

    static String token(String client) {
        RelyingParty rp = new RelyingParty(signet, client, Optional.of(client + "-secret-0123456789abc"), URI.create("http://localhost:9/cb"));
        HttpResponse<String> r = rp.token(Map.of("grant_type", "client_credentials"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r).get("access_token").asString();
    }

    static JWKSet jwks() throws Exception {
        HttpResponse<String> r = new Browser().get(signet.url("/jwks"));
        assertThat(r.statusCode()).isEqualTo(200);
        return JWKSet.parse(r.body());
    }

    static Set<String> kids(JWKSet set) {
        Set<String> out = new LinkedHashSet<>();
        set.getKeys().forEach(k -> out.add(k.getKeyID()));
        return out;
    }
}
