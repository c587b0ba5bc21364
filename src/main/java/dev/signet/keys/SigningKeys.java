package dev.signet.keys;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.signet.Ids;
import dev.signet.InternalException;
import dev.signet.store.KeyStore;
import dev.signet.store.StoredKey;
import dev.signet.store.Transactions;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One tenant's signing keys: one RS256 and one ES256 key, created at the tenant's first use and
 * stored (private parts encrypted as JWE dir/A256GCM when a {@link MasterKey} is given). Every node
 * loads the same keys; if two nodes create keys at once, the oldest per algorithm wins and JWKS lists
 * all. No two tenants share a key (issue 11): see {@link TenantKeys}.
 */
public final class SigningKeys {

    public static final List<String> ALGORITHMS = List.of("RS256", "ES256");

    private final Map<String, JWK> active;
    private final JWKSet publicSet;

    private SigningKeys(Map<String, JWK> active, List<JWK> all) {
        this.active = Map.copyOf(active);
        this.publicSet = new JWKSet(all.stream().map(JWK::toPublicJWK).toList());
    }

    public static SigningKeys loadOrCreate(Transactions tx, KeyStore store, String tenant, Optional<MasterKey> master, Ids ids,
            Clock clock) {
        List<StoredKey> stored = tx.read(t -> store.all(t, tenant));
        List<StoredKey> missing = new ArrayList<>();
        for (String alg : ALGORITHMS) {
            if (stored.stream().noneMatch(k -> k.alg().equals(alg))) {
                missing.add(seal(tenant, generate(alg, ids.id()), master, clock));
            }
        }
        if (!missing.isEmpty()) {
            stored = tx.write(t -> {
                missing.forEach(k -> store.add(t, k));
                return store.all(t, tenant);
            });
        }
        Map<String, JWK> active = new LinkedHashMap<>();
        List<JWK> all = new ArrayList<>();
        for (StoredKey k : stored) {
            JWK jwk = open(k, master);
            all.add(jwk);
            active.putIfAbsent(k.alg(), jwk);
        }
        return new SigningKeys(active, all);
    }

    /** The private key used to sign with {@code alg} (RS256 or ES256). */
    public JWK key(String alg) {
        JWK k = active.get(alg);
        if (k == null) {
            throw new InternalException("no signing key for " + alg, null);
        }
        return k;
    }

    /** The public keys, as published at the JWKS endpoint (RFC 7517 §5). */
    public JWKSet publicKeys() {
        return publicSet;
    }

    private static JWK generate(String alg, String kid) {
        try {
            return switch (alg) {
                case "RS256" -> new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate();
                case "ES256" -> new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).generate();
                default -> throw new IllegalArgumentException("unsupported algorithm " + alg);
            };
        } catch (JOSEException e) {
            throw new InternalException("key generation failed for " + alg, e);
        }
    }

    private static StoredKey seal(String tenant, JWK jwk, Optional<MasterKey> master, Clock clock) {
        String json = jwk.toJSONString();
        String alg = jwk.getAlgorithm().getName();
        if (master.isEmpty()) {
            return new StoredKey(tenant, jwk.getKeyID(), alg, json, false, clock.instant());
        }
        try {
            JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), new Payload(json));
            jwe.encrypt(new DirectEncrypter(master.get().aesKey()));
            return new StoredKey(tenant, jwk.getKeyID(), alg, jwe.serialize(), true, clock.instant());
        } catch (JOSEException e) {
            throw new InternalException("cannot encrypt signing key", e);
        }
    }

    private static JWK open(StoredKey k, Optional<MasterKey> master) {
        try {
            if (!k.encrypted()) {
                return JWK.parse(k.material());
            }
            if (master.isEmpty()) {
                throw new IllegalStateException("signing key " + k.kid() + " is encrypted; set " + MasterKey.ENV + " to the master key it was created with");
            }
            JWEObject jwe = JWEObject.parse(k.material());
            jwe.decrypt(new DirectDecrypter(master.get().aesKey()));
            return JWK.parse(jwe.getPayload().toString());
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot open signing key " + k.kid() + " (wrong " + MasterKey.ENV + "?)", e);
        }
    }
}
