package dev.signet.protocol.logout;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.keys.TenantKeys;
import dev.signet.tenant.Domain;
import dev.signet.tenant.Tenant;
import java.util.List;
import java.util.Optional;

/**
 * Reads an {@code id_token_hint} (RP-Initiated Logout 1.0 §2): an ID token this tenant issued,
 * verified with the tenant's own keys (never another tenant's) and issued by one of the tenant's
 * domains. Expiry is deliberately not checked: §2 says the OP SHOULD accept an expired ID token as
 * a hint, since the RP's session may have outlived it; the hint only identifies the session and the
 * client, it grants nothing.
 */
final class IdTokenHints {

    /** What a valid hint says: the client it was issued to, the user, the Signet session, and the issuer (domain) it came from. */
    record Hint(String clientId, String subject, Optional<String> sessionId, String issuer) {}

    private final TenantKeys keys;

    IdTokenHints(TenantKeys keys) {
        this.keys = keys;
    }

    Hint read(Tenant tenant, String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
            String kid = jwt.getHeader().getKeyID();
            JWK key = kid == null ? null : keys.keys(tenant.name()).publicKeys().getKeyByKeyId(kid);
            if (key == null || !verifier(alg, key).verify(jwt.getHeader(), jwt.getSigningInput(), jwt.getSignature())) {
                throw invalid("the signature does not verify with this tenant's keys");
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            String iss = c.getIssuer();
            if (iss == null || tenant.domains().stream().map(Domain::issuer).map(Object::toString).noneMatch(iss::equals)) {
                throw invalid("iss is not this tenant's issuer");
            }
            List<String> aud = c.getAudience();
            String sub = c.getSubject();
            if (aud == null || aud.isEmpty() || sub == null) {
                throw invalid("aud or sub is missing");
            }
            // OIDC Core §2: azp names the client when there are several audiences.
            String client = c.getClaim("azp") instanceof String azp ? azp : aud.getFirst();
            if (!aud.contains(client)) {
                throw invalid("azp is not an audience");
            }
            Optional<String> sid = c.getClaim("sid") instanceof String s ? Optional.of(s) : Optional.empty();
            return new Hint(client, sub, sid, iss);
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
            throw invalid("not a signed JWT: " + e.getClass().getSimpleName());
        }
    }

    private JWSVerifier verifier(JWSAlgorithm alg, JWK key) throws com.nimbusds.jose.JOSEException {
        if (JWSAlgorithm.RS256.equals(alg) && key.getKeyType() == com.nimbusds.jose.jwk.KeyType.RSA) {
            return keys.signatureProvider().verifier(key.toRSAKey());
        }
        if (JWSAlgorithm.ES256.equals(alg) && key.getKeyType() == com.nimbusds.jose.jwk.KeyType.EC) {
            return keys.signatureProvider().verifier(key.toECKey());
        }
        throw invalid("algorithm " + alg + " is not one Signet signs with");
    }

    private static ProtocolException invalid(String detail) {
        return ProtocolException.of(Reason.LOGOUT_INVALID_HINT,
                "The sign-out request carries an id_token_hint that this Signet did not issue.", "id_token_hint: " + detail);
    }
}
