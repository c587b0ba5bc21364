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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One tenant's signing keys with their timelines (issue 14): per algorithm (RS256, ES256) the key
 * that signs now, and the public keys published now. A key is published from the moment it is
 * stored; it signs from its {@code signsFrom} until the next key's {@code signsFrom}; it stays
 * published for {@code retain} after that (the longest lifetime of a token it signed, plus the
 * clock skew), then disappears from the JWKS. So nothing ever signs with an unpublished key, and
 * every unexpired token verifies against the JWKS of any moment. Both are decided against the clock
 * at each call, so no timer has to fire for a key to start signing or to retire.
 *
 * <p>Private parts are stored as JWE dir/A256GCM when a {@link MasterKey} is given.
 */
public final class SigningKeys {

    public static final List<String> ALGORITHMS = List.of("RS256", "ES256");

    /** A key with its timeline (from the store). */
    record Timed(JWK jwk, String alg, Instant signsFrom) {}

    /** The published set, valid from {@code from} until the next retirement ({@code until}): no per-call work between. */
    private record Published(List<String> kids, JWKSet set, Instant from, Instant until) {}

    private final List<Timed> keys; // by signsFrom, then kid
    private final Duration retain;
    private final Clock clock;
    private volatile Published published = new Published(List.of(), new JWKSet(), Instant.MAX, Instant.MIN);

    private SigningKeys(List<Timed> keys, Duration retain, Clock clock) {
        this.keys = keys.stream().sorted(Comparator.comparing(Timed::signsFrom).thenComparing(t -> t.jwk().getKeyID())).toList();
        this.retain = retain;
        this.clock = clock;
    }

    /** Opens the stored keys ({@code retain}: how long a key stays published after its successor starts signing). */
    static SigningKeys open(List<StoredKey> stored, Optional<MasterKey> master, Duration retain, Clock clock) {
        List<Timed> keys = new ArrayList<>();
        for (StoredKey k : stored) {
            keys.add(new Timed(open(k, master), k.alg(), k.signsFrom()));
        }
        return new SigningKeys(keys, retain, clock);
    }

    /** As {@link #open}, creating the missing algorithms' first keys (signing at once: nobody can hold a token of the tenant yet). */
    public static SigningKeys loadOrCreate(Transactions tx, KeyStore store, String tenant, Optional<MasterKey> master, Ids ids,
            Clock clock) {
        return open(KeyRotation.ensure(tx, store, tenant, master, ids, clock, SignatureProvider.JDK, FirstKeys.NONE), master, Duration.ZERO, clock);
    }

    /** The private key that signs with {@code alg} (RS256 or ES256) now: always one that is published. */
    public JWK key(String alg) {
        Instant now = clock.instant();
        Timed signing = null;
        for (Timed k : keys) {
            if (k.alg().equals(alg) && (signing == null || !k.signsFrom().isAfter(now))) {
                signing = k; // the latest that already signs; the earliest if none does yet (a clock set back)
            }
        }
        if (signing == null) {
            throw new InternalException("no signing key for " + alg, null);
        }
        return signing.jwk();
    }

    /** The public keys published now, as at the JWKS endpoint (RFC 7517 §5). */
    public JWKSet publicKeys() {
        Instant now = clock.instant();
        Published p = published;
        if (!now.isBefore(p.from()) && now.isBefore(p.until())) {
            return p.set(); // every verification and JWKS request: the set only changes when a key retires
        }
        List<Timed> live = keys.stream().filter(k -> !retired(k, now)).toList();
        List<String> kids = live.stream().map(k -> k.jwk().getKeyID()).toList();
        Instant until = Instant.MAX;
        for (Timed k : live) {
            Instant retires = retiresAt(k);
            if (retires != null && retires.isBefore(until)) {
                until = retires;
            }
        }
        // the same JWKSet object while the same keys are published (callers compare it by identity)
        JWKSet set = p.kids().equals(kids) ? p.set() : new JWKSet(live.stream().map(k -> k.jwk().toPublicJWK()).toList());
        published = new Published(kids, set, now, until);
        return set;
    }

    /** When {@code k} retires: {@code retain} after the next key of its algorithm starts signing (null: none does). */
    private Instant retiresAt(Timed k) {
        Instant successorFrom = null;
        for (Timed o : keys) {
            if (o.alg().equals(k.alg()) && o.signsFrom().isAfter(k.signsFrom())
                    && (successorFrom == null || o.signsFrom().isBefore(successorFrom))) {
                successorFrom = o.signsFrom();
            }
        }
        return successorFrom == null ? null : successorFrom.plus(retain);
    }

    /** Retired: a later key of the same algorithm started signing at least {@code retain} ago. */
    private boolean retired(Timed k, Instant now) {
        Instant retires = retiresAt(k);
        return retires != null && !retires.isAfter(now);
    }

    static JWK generate(String alg, String kid, SignatureProvider crypto) {
        try {
            return switch (alg) {
                case "RS256" -> crypto.generating(new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE))
                        .generate();
                case "ES256" -> new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).generate();
                default -> throw new IllegalArgumentException("unsupported algorithm " + alg);
            };
        } catch (JOSEException e) {
            throw new InternalException("key generation failed for " + alg, e);
        }
    }

    static StoredKey seal(String tenant, JWK jwk, Optional<MasterKey> master, Instant createdAt, Instant signsFrom) {
        String json = jwk.toJSONString();
        String alg = jwk.getAlgorithm().getName();
        if (master.isEmpty()) {
            return new StoredKey(tenant, jwk.getKeyID(), alg, json, false, createdAt, signsFrom);
        }
        try {
            JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), new Payload(json));
            jwe.encrypt(new DirectEncrypter(master.get().aesKey()));
            return new StoredKey(tenant, jwk.getKeyID(), alg, jwe.serialize(), true, createdAt, signsFrom);
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
