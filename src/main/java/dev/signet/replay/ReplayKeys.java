package dev.signet.replay;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.JWKGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.keys.SignatureProvider;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Stand-in signing keys for a replay. The corpus keeps an upstream's verified ID-token header and
 * claims but never its signature or key material, so the replay makes one key per recorded
 * {@code kid}/{@code kty}/{@code crv}, publishes their public halves as the exchange's JWK Set, and
 * re-signs each recorded ID token with the key its header names. The connector then verifies it
 * with Nimbus, as in production (never with Signet's own JWS code). Keys are made once per replay
 * run (RSA key generation is the slow part), so a corpus of 10,000 exchanges with a handful of key
 * ids makes a handful of keys.
 */
final class ReplayKeys {

    private final Map<String, Optional<JWK>> keys = new ConcurrentHashMap<>();
    private final Map<JWK, JWSSigner> signers = new ConcurrentHashMap<>();
    private final SignatureProvider provider;

    /** {@code provider}: who computes the stand-in signatures (Conscrypt when it loads: the replay's main cost is RSA signing). */
    ReplayKeys(SignatureProvider provider) {
        this.provider = provider;
    }

    /** The stand-in private key for a recorded JWK's public parameters; empty for a type Signet does not verify (OKP). */
    Optional<JWK> key(@Nullable String kid, @Nullable String kty, @Nullable String crv, @Nullable String alg, @Nullable String use) {
        String id = kid + "|" + kty + "|" + crv + "|" + alg + "|" + use;
        return keys.computeIfAbsent(id, k -> generate(kid, kty, crv, alg, use));
    }

    /** A key of the right type that is published nowhere: a signature as bad as the recorded one. */
    Optional<JWK> unpublished(@Nullable String alg) {
        return key("unpublished-" + alg, kty(alg), alg != null && alg.startsWith("ES") ? curve(alg) : null, alg, "sig");
    }

    private static @Nullable String kty(@Nullable String alg) {
        return alg == null ? null : alg.startsWith("ES") ? "EC" : alg.startsWith("RS") || alg.startsWith("PS") ? "RSA" : null;
    }

    private static String curve(String alg) {
        return switch (alg) {
            case "ES384" -> "P-384";
            case "ES512" -> "P-521";
            default -> "P-256";
        };
    }

    private static Optional<JWK> generate(@Nullable String kid, @Nullable String kty, @Nullable String crv, @Nullable String alg,
            @Nullable String use) {
        try {
            if ("RSA".equals(kty)) {
                return Optional.of(described(new RSAKeyGenerator(2048), kid, alg, use).generate());
            }
            if ("EC".equals(kty)) {
                Curve curve = Curve.parse(crv == null ? curve(alg == null ? "ES256" : alg) : crv);
                return Optional.of(described(new ECKeyGenerator(curve), kid, alg, use).generate());
            }
            return Optional.empty();
        } catch (JOSEException | ParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code g} with the recorded key id, algorithm and use, where recorded. */
    private static <T extends JWK> JWKGenerator<T> described(JWKGenerator<T> g, @Nullable String kid, @Nullable String alg,
            @Nullable String use) throws ParseException {
        if (kid != null) {
            g.keyID(kid);
        }
        if (alg != null) {
            g.algorithm(JWSAlgorithm.parse(alg));
        }
        if (use != null) {
            g.keyUse(KeyUse.parse(use));
        }
        return g;
    }

    /** {@code claims} signed per {@code header} ({@code alg}, {@code kid}, {@code typ}) with {@code key}; unsigned when it cannot be. */
    String sign(Map<String, Object> header, JWTClaimsSet claims, Optional<JWK> key) {
        Object alg = header.get("alg");
        try {
            if (key.isPresent() && alg instanceof String a && !a.equals("none")) {
                JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.parse(a));
                if (header.get("kid") instanceof String kid) {
                    h.keyID(kid);
                }
                if (header.get("typ") instanceof String typ) {
                    h.type(new JOSEObjectType(typ));
                }
                JWSSigner signer = signers.computeIfAbsent(key.get(), this::signer);
                SignedJWT jwt = new SignedJWT(h.build(), claims);
                jwt.sign(signer);
                return jwt.serialize();
            }
        } catch (JOSEException | RuntimeException e) {
            // an algorithm the key cannot sign with: the connector then sees an unsigned token, as unusable as the recorded one
        }
        return new PlainJWT(claims).serialize();
    }

    private JWSSigner signer(JWK key) {
        try {
            return provider.signer(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("no signer for the stand-in key " + key.getKeyID(), e);
        }
    }
}
