package dev.signet.connector.apple;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.config.Secret;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client secret Apple's token endpoint expects: a JWT signed ES256 with the team's key, header
 * {@code kid} = key id, claims {@code iss} = team id, {@code iat}, {@code exp} (at most six months
 * later), {@code aud} = {@code https://appleid.apple.com}, {@code sub} = the Services ID
 * (developer.apple.com, "Creating a client secret"). Signed with Nimbus; kept and reused until
 * {@link #RENEW_BEFORE} its expiry, then signed anew, so the token call never carries an expired one.
 */
final class AppleClientSecret {

    /** Far below Apple's six-month cap: a leaked secret is short-lived, and signing is cheap. */
    static final Duration LIFETIME = Duration.ofHours(1);
    static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    private record Issued(String jwt, Instant expires) {}

    private final AppleSettings settings;
    private final ECDSASigner signer;
    private final Clock clock;
    private final AtomicReference<Issued> current = new AtomicReference<>();

    AppleClientSecret(AppleSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        try {
            this.signer = new ECDSASigner(parse(settings.privateKey()));
        } catch (JOSEException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("private_key was validated when the configuration loaded", e);
        }
    }

    /** The secret for a token request now. */
    String value() {
        Instant now = clock.instant();
        Issued i = current.get();
        if (i == null || !now.isBefore(i.expires().minus(RENEW_BEFORE))) {
            i = sign(now);
            current.set(i);
        }
        return i.jwt();
    }

    private Issued sign(Instant now) {
        Instant exp = now.plus(LIFETIME);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(settings.teamId()).issueTime(Date.from(now)).expirationTime(Date.from(exp))
                .audience(settings.issuer().toString()).subject(settings.clientId()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(settings.keyId()).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("ES256 signing failed", e);
        }
        return new Issued(jwt.serialize(), exp);
    }

    /** What is wrong with {@code pem} as a Sign in with Apple key, if anything (never its content). */
    static Optional<String> problem(Secret pem) {
        try {
            parse(pem);
            return Optional.empty();
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.of("is not a P-256 private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----, the .p8 file Apple gives): "
                    + e.getMessage());
        }
    }

    /** PKCS#8 PEM → an EC key on P-256 (the JDK decodes it; Nimbus signs). */
    static ECPrivateKey parse(Secret pem) throws GeneralSecurityException {
        String text = pem.value().strip();
        String head = "-----BEGIN PRIVATE KEY-----";
        String tail = "-----END PRIVATE KEY-----";
        if (!text.startsWith(head) || !text.endsWith(tail)) {
            throw new IllegalArgumentException("no PRIVATE KEY block");
        }
        String body = text.substring(head.length(), text.length() - tail.length()).replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        if (!(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof ECPrivateKey key)) {
            throw new IllegalArgumentException("not an EC key");
        }
        if (!Curve.P_256.equals(Curve.forECParameterSpec(key.getParams()))) {
            throw new IllegalArgumentException("the key is not on P-256");
        }
        return key;
    }
}
