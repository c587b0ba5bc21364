package dev.signet.keys;

import com.nimbusds.jose.jwk.JWK;
import dev.signet.Ids;
import dev.signet.config.KeySettings;
import dev.signet.store.Change;
import dev.signet.store.Changes;
import dev.signet.store.KeyStore;
import dev.signet.store.StoredKey;
import dev.signet.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Creates a tenant's keys and their successors (issue 14), one node at a time: every decision is
 * taken inside one write transaction holding the tenant's key lock ({@link KeyStore#lockKeys}), on
 * the keys as stored then, so two nodes never both rotate, and the change is announced to every
 * node in that transaction ({@link Changes}).
 *
 * <pre>
 *   no key for an algorithm        → create one that signs at once (the tenant has no tokens yet)
 *   newest key signs from F, and
 *     F + rotate_every − publish_ahead ≤ now (schedule), or a forced rotation (signet keys rotate)
 *                                  → create a successor: published now, signs from now + publish_ahead
 *   a successor not signing yet    → nothing (already rotating)
 * </pre>
 */
public final class KeyRotation {

    /** A key created by a rotation. */
    public record Created(String tenant, String alg, String kid, Instant signsFrom) {}

    private KeyRotation() {}

    /** The tenant's keys, creating the first key of each algorithm that has none (taking it from {@code ahead} when it holds one). */
    static List<StoredKey> ensure(Transactions tx, KeyStore store, String tenant, Optional<MasterKey> master, Ids ids, Clock clock,
            SignatureProvider crypto, FirstKeys ahead) {
        List<StoredKey> stored = tx.read(t -> store.all(t, tenant));
        if (missing(stored).isEmpty()) {
            return stored;
        }
        // generated outside the transaction (RSA takes a while), stored under the lock only if still missing
        List<StoredKey> fresh = new ArrayList<>();
        for (String alg : missing(stored)) {
            Instant now = clock.instant();
            JWK jwk = ahead.take(tenant, alg).orElseGet(() -> SigningKeys.generate(alg, ids.id(), crypto));
            fresh.add(SigningKeys.seal(tenant, jwk, master, now, now));
        }
        return tx.write(t -> {
            store.lockKeys(t, tenant);
            List<String> still = missing(store.all(t, tenant));
            fresh.stream().filter(k -> still.contains(k.alg())).forEach(k -> store.add(t, k));
            return store.all(t, tenant);
        });
    }

    /**
     * Creates the successors that are due ({@code force}: for every algorithm without a pending
     * successor, whatever the schedule says). Returns what it created (empty when nothing was due).
     */
    static List<Created> rotate(Transactions tx, KeyStore store, Changes changes, String tenant, KeySettings settings, boolean force,
            Optional<MasterKey> master, Ids ids, Clock clock, SignatureProvider crypto) {
        List<StoredKey> stored = tx.read(t -> store.all(t, tenant));
        Instant now = clock.instant();
        List<String> due = due(stored, settings, force, now);
        if (due.isEmpty()) {
            return List.of();
        }
        Instant signsFrom = now.plus(settings.publishAhead());
        List<StoredKey> fresh = new ArrayList<>();
        for (String alg : due) {
            JWK jwk = SigningKeys.generate(alg, ids.id(), crypto);
            fresh.add(SigningKeys.seal(tenant, jwk, master, now, signsFrom));
        }
        return tx.write(t -> {
            store.lockKeys(t, tenant);
            List<String> still = due(store.all(t, tenant), settings, force, now); // another node may have rotated meanwhile
            List<Created> created = new ArrayList<>();
            for (StoredKey k : fresh) {
                if (still.contains(k.alg())) {
                    store.add(t, k);
                    created.add(new Created(tenant, k.alg(), k.kid(), k.signsFrom()));
                }
            }
            if (!created.isEmpty()) {
                changes.publish(t, new Change(Change.Kind.KEYS_CHANGED, tenant, ""));
            }
            return created;
        });
    }

    private static List<String> missing(List<StoredKey> stored) {
        return SigningKeys.ALGORITHMS.stream().filter(alg -> stored.stream().noneMatch(k -> k.alg().equals(alg))).toList();
    }

    private static List<String> due(List<StoredKey> stored, KeySettings settings, boolean force, Instant now) {
        List<String> out = new ArrayList<>();
        for (String alg : SigningKeys.ALGORITHMS) {
            Optional<StoredKey> newest = stored.stream().filter(k -> k.alg().equals(alg)).max(Comparator.comparing(StoredKey::signsFrom));
            if (newest.isEmpty() || newest.get().signsFrom().isAfter(now)) {
                continue; // none yet (ensure creates it) or a successor is already waiting to sign
            }
            Instant scheduled = newest.get().signsFrom().plus(settings.rotateEvery()).minus(settings.publishAhead());
            if (force || !scheduled.isAfter(now)) {
                out.add(alg);
            }
        }
        return out;
    }
}
