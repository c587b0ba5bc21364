package dev.signet.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.InternalException;
import java.util.HashMap;
import java.util.Map;

/** Signs JWTs with one tenant's keys (RFC 7519, RFC 7515). Signers are built once, when the tenant's keys are loaded. */
public final class JwtMinter {

    private final Map<String, JWSSigner> signers = new HashMap<>();
    private final Map<String, String> kids = new HashMap<>();

    public JwtMinter(SigningKeys keys) {
        try {
            for (String alg : SigningKeys.ALGORITHMS) {
                JWK k = keys.key(alg);
                signers.put(alg, alg.equals("RS256") ? new RSASSASigner(k.toRSAKey()) : new ECDSASigner(k.toECKey()));
                kids.put(alg, k.getKeyID());
            }
        } catch (JOSEException e) {
            throw new InternalException("cannot build signers", e);
        }
    }

    /** Signs {@code claims} with {@code alg} (RS256 or ES256); {@code type} goes in the {@code typ} header. */
    public String sign(String alg, JOSEObjectType type, JWTClaimsSet claims) {
        JWSSigner signer = signers.get(alg);
        if (signer == null) {
            throw new InternalException("no signer for " + alg, null);
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(alg)).type(type).keyID(kids.get(alg)).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new InternalException("signing failed", e);
        }
        return jwt.serialize();
    }
}
