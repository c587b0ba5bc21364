package dev.signet.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.InternalException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs JWTs with one tenant's keys (RFC 7519, RFC 7515), with the key that signs now for the
 * algorithm ({@link SigningKeys#key}: after a rotation, the new key once its publication time is
 * over). Signers are built once per key, by the {@link SignatureProvider} in use.
 */
public final class JwtMinter {

    private final Map<String, JWSSigner> signers = new ConcurrentHashMap<>();
    private final SigningKeys keys;
    private final SignatureProvider provider;

    public JwtMinter(SigningKeys keys, SignatureProvider provider) {
        this.keys = keys;
        this.provider = provider;
    }

    /** Signs {@code claims} with {@code alg} (RS256 or ES256); {@code type} goes in the {@code typ} header. */
    public String sign(String alg, JOSEObjectType type, JWTClaimsSet claims) {
        JWK key = keys.key(alg);
        JWSSigner signer = signers.computeIfAbsent(key.getKeyID(), kid -> signer(key));
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(alg)).type(type).keyID(key.getKeyID()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new InternalException("signing failed", e);
        }
        return jwt.serialize();
    }

    private JWSSigner signer(JWK k) {
        try {
            return provider.signer(k);
        } catch (JOSEException e) {
            throw new InternalException("cannot build a signer for " + k.getKeyType(), e);
        }
    }
}
